/* ditvm prelude for CUDA C++ (NVRTC): maps the portable kernel dialect onto CUDA. */
#define KERNEL extern "C" __global__
#define GLOBAL
#define LOCAL __shared__
#define LOCAL_ARRAY(type, name, size) __shared__ type name[size]
#define RESTRICT __restrict__
#define INLINE __device__ inline
#define BARRIER() __syncthreads()
__device__ inline int ditvm_dim3(const uint3 v, int d) { return d == 0 ? (int) v.x : d == 1 ? (int) v.y : (int) v.z; }
__device__ inline int ditvm_dim3d(const dim3 v, int d) { return d == 0 ? (int) v.x : d == 1 ? (int) v.y : (int) v.z; }
#define LOCAL_ID(d) ditvm_dim3(threadIdx, d)
#define GROUP_ID(d) ditvm_dim3(blockIdx, d)
#define LOCAL_SIZE(d) ditvm_dim3d(blockDim, d)
#define NUM_GROUPS(d) ditvm_dim3d(gridDim, d)
#define GLOBAL_ID(d) (GROUP_ID(d) * LOCAL_SIZE(d) + LOCAL_ID(d))
#define GLOBAL_SIZE(d) (NUM_GROUPS(d) * LOCAL_SIZE(d))
#define WG_SIZE(x, y, z) __launch_bounds__((x) * (y) * (z))
#define IS_CUDA 1
#define RSQRT(x) rsqrtf(x)
#define EXP(x) expf(x)
#define TANH(x) tanhf(x)
#define SQRT(x) sqrtf(x)
#define FMAX(a, b) fmaxf(a, b)
#define COS(x) cosf(x)
#define SIN(x) sinf(x)
#define MIN_INT(a, b) min(a, b)
#define LOCAL_PTR /* shared memory pointers need no qualifier in CUDA */
