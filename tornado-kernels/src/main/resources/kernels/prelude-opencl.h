/* ditvm prelude for OpenCL C 1.2: maps the portable kernel dialect onto OpenCL. */
#define KERNEL __kernel
#define GLOBAL __global
#define LOCAL __local
#define LOCAL_ARRAY(type, name, size) __local type name[size]
#define RESTRICT restrict
#define INLINE inline
#define BARRIER() barrier(CLK_LOCAL_MEM_FENCE)
#define GLOBAL_ID(d) ((int) get_global_id(d))
#define LOCAL_ID(d) ((int) get_local_id(d))
#define GROUP_ID(d) ((int) get_group_id(d))
#define LOCAL_SIZE(d) ((int) get_local_size(d))
#define GLOBAL_SIZE(d) ((int) get_global_size(d))
#define NUM_GROUPS(d) ((int) get_num_groups(d))
#define WG_SIZE(x, y, z) __attribute__((reqd_work_group_size(x, y, z)))
#define IS_OPENCL 1
#define RSQRT(x) rsqrt(x)
#define EXP(x) exp(x)
#define TANH(x) tanh(x)
#define SQRT(x) sqrt(x)
#define FMAX(a, b) fmax(a, b)
#define COS(x) cos(x)
#define SIN(x) sin(x)
#define MIN_INT(a, b) min(a, b)
#define LOCAL_PTR __local /* qualifier of a pointer parameter to local memory */
