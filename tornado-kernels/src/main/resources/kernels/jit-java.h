/*
 * ditvm JIT prelude: Java's arithmetic for kernels compiled from Java bytecode, on top of the
 * target prelude (prelude-opencl.h or prelude-cuda.h).
 *
 * - int and long wrap: add, sub, mul, neg and left shift go through unsigned types (signed
 *   overflow is undefined in C); shift counts are masked (& 31, & 63); >>> is a logical shift.
 * - / and % truncate; MIN_VALUE / -1 is MIN_VALUE (x86 would trap); division by zero gives 0
 *   (Java throws ArithmeticException, which the java device does).
 * - (int) / (long) of a float or double saturate, NaN -> 0.
 * - float and double +, -, *, / are single IEEE operations, never contracted into an fma
 *   (FP_CONTRACT OFF in OpenCL, the _rn intrinsics in CUDA); OpenCL builds with
 *   -cl-fp32-correctly-rounded-divide-sqrt.
 * - Math.min / max: NaN if either is NaN, -0.0 below +0.0 (scalars and FloatN.max).
 */
#ifdef IS_CUDA
typedef long long jlong;
typedef unsigned long long julong;
typedef unsigned int juint;
#define JL(x) x##LL
#define J_F2BITS(x) __float_as_int(x)
#define J_BITS2F(x) __int_as_float((int) (x))
#define J_D2BITS(x) __double_as_longlong(x)
#define J_BITS2D(x) __longlong_as_double((jlong) (x))
#define JF_ADD(a, b) __fadd_rn(a, b)
#define JF_SUB(a, b) __fsub_rn(a, b)
#define JF_MUL(a, b) __fmul_rn(a, b)
#define JF_DIV(a, b) __fdiv_rn(a, b)
#define JD_ADD(a, b) __dadd_rn(a, b)
#define JD_SUB(a, b) __dsub_rn(a, b)
#define JD_MUL(a, b) __dmul_rn(a, b)
#define JD_DIV(a, b) __ddiv_rn(a, b)
#define j_rsqrtf(x) rsqrtf(x)
#define j_rsqrt(x) rsqrt(x)
#else
#pragma OPENCL FP_CONTRACT OFF
typedef long jlong;
typedef ulong julong;
typedef uint juint;
#define JL(x) x##L
#define J_F2BITS(x) as_int(x)
#define J_BITS2F(x) as_float((int) (x))
#define J_D2BITS(x) as_long(x)
#define J_BITS2D(x) as_double((jlong) (x))
#define JF_ADD(a, b) ((a) + (b))
#define JF_SUB(a, b) ((a) - (b))
#define JF_MUL(a, b) ((a) * (b))
#define JF_DIV(a, b) ((a) / (b))
#define JD_ADD(a, b) ((a) + (b))
#define JD_SUB(a, b) ((a) - (b))
#define JD_MUL(a, b) ((a) * (b))
#define JD_DIV(a, b) ((a) / (b))
#define j_rsqrtf(x) rsqrt(x)
#define j_rsqrt(x) rsqrt(x)
#endif

#define JI_ADD(a, b) ((int) ((juint) (a) + (juint) (b)))
#define JI_SUB(a, b) ((int) ((juint) (a) - (juint) (b)))
#define JI_MUL(a, b) ((int) ((juint) (a) * (juint) (b)))
#define JI_NEG(a) ((int) (0u - (juint) (a)))
#define JI_SHL(a, b) ((int) ((juint) (a) << ((b) & 31)))
#define JI_SHR(a, b) ((int) (a) >> ((b) & 31))
#define JI_USHR(a, b) ((int) ((juint) (a) >> ((b) & 31)))
#define JL_ADD(a, b) ((jlong) ((julong) (a) + (julong) (b)))
#define JL_SUB(a, b) ((jlong) ((julong) (a) - (julong) (b)))
#define JL_MUL(a, b) ((jlong) ((julong) (a) * (julong) (b)))
#define JL_NEG(a) ((jlong) (JL(0) - (julong) (a)))
#define JL_SHL(a, b) ((jlong) ((julong) (a) << ((b) & 63)))
#define JL_SHR(a, b) ((jlong) (a) >> ((b) & 63))
#define JL_USHR(a, b) ((jlong) ((julong) (a) >> ((b) & 63)))
#define J_ZERO(a, n) for (int j_z = 0; j_z < (n); j_z++) (a)[j_z] = 0

INLINE int j_idiv(int a, int b) { return b == 0 ? 0 : b == -1 ? JI_NEG(a) : a / b; }
INLINE int j_irem(int a, int b) { return b == 0 || b == -1 ? 0 : a % b; }
INLINE jlong j_ldiv(jlong a, jlong b) { return b == 0 ? 0 : b == -1 ? JL_NEG(a) : a / b; }
INLINE jlong j_lrem(jlong a, jlong b) { return b == 0 || b == -1 ? 0 : a % b; }
INLINE int j_f2i(float x) {
    return x != x ? 0 : x >= 2147483648.0f ? 2147483647 : x <= -2147483648.0f ? (-2147483647 - 1) : (int) x;
}
INLINE jlong j_f2l(float x) {
    return x != x ? 0 : x >= 9223372036854775808.0f ? JL(9223372036854775807)
         : x <= -9223372036854775808.0f ? (JL(-9223372036854775807) - JL(1)) : (jlong) x;
}
INLINE int j_lcmp(jlong a, jlong b) { return a > b ? 1 : a == b ? 0 : -1; }
INLINE int j_fcmpl(float a, float b) { return a > b ? 1 : a == b ? 0 : -1; }
INLINE int j_fcmpg(float a, float b) { return a < b ? -1 : a == b ? 0 : 1; }
INLINE int j_imin(int a, int b) { return a < b ? a : b; }
INLINE int j_imax(int a, int b) { return a > b ? a : b; }
INLINE jlong j_lmin(jlong a, jlong b) { return a < b ? a : b; }
INLINE jlong j_lmax(jlong a, jlong b) { return a > b ? a : b; }
INLINE int j_iabs(int a) { return a < 0 ? JI_NEG(a) : a; }
INLINE jlong j_labs(jlong a) { return a < 0 ? JL_NEG(a) : a; }
INLINE int j_iclamp(int x, int lo, int hi) { return j_imin(j_imax(x, lo), hi); }
INLINE float j_fmin(float a, float b) { return a != a ? a : b != b ? b : a == b ? (signbit(a) ? a : b) : a < b ? a : b; }
INLINE float j_fmax(float a, float b) { return a != a ? a : b != b ? b : a == b ? (signbit(a) ? b : a) : a > b ? a : b; }
INLINE float j_fclamp(float x, float lo, float hi) { return j_fmin(j_fmax(x, lo), hi); }
INLINE int j_fisnan(float x) { return x != x; }

#ifdef J_USES_DOUBLE
INLINE int j_d2i(double x) {
    return x != x ? 0 : x >= 2147483648.0 ? 2147483647 : x <= -2147483648.0 ? (-2147483647 - 1) : (int) x;
}
INLINE jlong j_d2l(double x) {
    return x != x ? 0 : x >= 9223372036854775808.0 ? JL(9223372036854775807)
         : x <= -9223372036854775808.0 ? (JL(-9223372036854775807) - JL(1)) : (jlong) x;
}
INLINE int j_dcmpl(double a, double b) { return a > b ? 1 : a == b ? 0 : -1; }
INLINE int j_dcmpg(double a, double b) { return a < b ? -1 : a == b ? 0 : 1; }
INLINE double j_dmin(double a, double b) { return a != a ? a : b != b ? b : a == b ? (signbit(a) ? a : b) : a < b ? a : b; }
INLINE double j_dmax(double a, double b) { return a != a ? a : b != b ? b : a == b ? (signbit(a) ? b : a) : a > b ? a : b; }
INLINE double j_dclamp(double x, double lo, double hi) { return j_dmin(j_dmax(x, lo), hi); }
INLINE int j_disnan(double x) { return x != x; }
/* floor and ceil of NaN, infinities and integers beyond 2^52 are x itself; PoCL's double ceil of a NaN gives garbage
   (found by JitFuzzTest), so only the fractional range reaches the built-in */
INLINE double j_dfloor(double x) { return fabs(x) < 0x1p52 ? floor(x) : x; }
INLINE double j_dceil(double x) { return fabs(x) < 0x1p52 ? ceil(x) : x; }
#endif

/* Float4, Float8, Float16: OpenCL's floatN; in CUDA a struct of N floats, lane by lane. */
#ifdef IS_CUDA
#define J_VECTOR(N)                                                                                         \
    struct jfloat##N { float s[N]; };                                                                       \
    __device__ inline jfloat##N jv##N##_load(const float* p, jlong o) {                                     \
        jfloat##N v; for (int i = 0; i < N; i++) v.s[i] = p[o + i]; return v; }                             \
    __device__ inline void jv##N##_store(jfloat##N v, float* p, jlong o) {                                  \
        for (int i = 0; i < N; i++) p[o + i] = v.s[i]; }                                                    \
    __device__ inline jfloat##N jv##N##_load_p(const float* p, int o) { return jv##N##_load(p, o); }        \
    __device__ inline jfloat##N jv##N##_load_l(const float* p, int o) { return jv##N##_load(p, o); }        \
    __device__ inline void jv##N##_store_p(jfloat##N v, float* p, int o) { jv##N##_store(v, p, o); }        \
    __device__ inline void jv##N##_store_l(jfloat##N v, float* p, int o) { jv##N##_store(v, p, o); }        \
    __device__ inline jfloat##N jv##N##_splat(float x) {                                                    \
        jfloat##N v; for (int i = 0; i < N; i++) v.s[i] = x; return v; }                                    \
    __device__ inline jfloat##N jv##N##_add(jfloat##N a, jfloat##N b) {                                     \
        for (int i = 0; i < N; i++) a.s[i] = __fadd_rn(a.s[i], b.s[i]); return a; }                         \
    __device__ inline jfloat##N jv##N##_sub(jfloat##N a, jfloat##N b) {                                     \
        for (int i = 0; i < N; i++) a.s[i] = __fsub_rn(a.s[i], b.s[i]); return a; }                         \
    __device__ inline jfloat##N jv##N##_mul(jfloat##N a, jfloat##N b) {                                     \
        for (int i = 0; i < N; i++) a.s[i] = __fmul_rn(a.s[i], b.s[i]); return a; }                         \
    __device__ inline jfloat##N jv##N##_div(jfloat##N a, jfloat##N b) {                                     \
        for (int i = 0; i < N; i++) a.s[i] = __fdiv_rn(a.s[i], b.s[i]); return a; }                         \
    __device__ inline jfloat##N jv##N##_max(jfloat##N a, jfloat##N b) {                                     \
        for (int i = 0; i < N; i++) a.s[i] = j_fmax(a.s[i], b.s[i]); return a; }                            \
    __device__ inline jfloat##N jv##N##_exp(jfloat##N a) {                                                  \
        for (int i = 0; i < N; i++) a.s[i] = expf(a.s[i]); return a; }                                      \
    __device__ inline jfloat##N jv##N##_fma(jfloat##N a, jfloat##N b, jfloat##N c) {                        \
        for (int i = 0; i < N; i++) a.s[i] = fmaf(a.s[i], b.s[i], c.s[i]); return a; }                      \
    __device__ inline float jv##N##_get(jfloat##N v, int i) { return v.s[i]; }
#else
#define J_VECTOR(N)                                                                                         \
    typedef float##N jfloat##N;                                                                             \
    INLINE jfloat##N jv##N##_load(GLOBAL const float* p, jlong o) { return vload##N(0, p + o); }            \
    INLINE void jv##N##_store(jfloat##N v, GLOBAL float* p, jlong o) { vstore##N(v, 0, p + o); }            \
    INLINE jfloat##N jv##N##_load_p(const float* p, int o) { return vload##N(0, p + o); }                   \
    INLINE jfloat##N jv##N##_load_l(LOCAL const float* p, int o) { return vload##N(0, p + o); }             \
    INLINE void jv##N##_store_p(jfloat##N v, float* p, int o) { vstore##N(v, 0, p + o); }                   \
    INLINE void jv##N##_store_l(jfloat##N v, LOCAL float* p, int o) { vstore##N(v, 0, p + o); }             \
    INLINE jfloat##N jv##N##_splat(float x) { return (jfloat##N) (x); }                                     \
    INLINE jfloat##N jv##N##_add(jfloat##N a, jfloat##N b) { return a + b; }                                \
    INLINE jfloat##N jv##N##_sub(jfloat##N a, jfloat##N b) { return a - b; }                                \
    INLINE jfloat##N jv##N##_mul(jfloat##N a, jfloat##N b) { return a * b; }                                \
    INLINE jfloat##N jv##N##_div(jfloat##N a, jfloat##N b) { return a / b; }                                \
    /* Math.max: fmax, then +0 over -0 where the lanes compare equal (bits and), then NaN if either is */  \
    INLINE jfloat##N jv##N##_max(jfloat##N a, jfloat##N b) {                                                \
        jfloat##N m = select(fmax(a, b), as_float##N(as_int##N(a) & as_int##N(b)), a == b);                 \
        return select(m, a + b, isnan(a) | isnan(b)); }                                                     \
    INLINE jfloat##N jv##N##_exp(jfloat##N a) { return exp(a); }                                            \
    INLINE jfloat##N jv##N##_fma(jfloat##N a, jfloat##N b, jfloat##N c) { return fma(a, b, c); }            \
    INLINE float jv##N##_get(jfloat##N v, int i) { return ((float*) &v)[i]; }
#endif
J_VECTOR(4)
J_VECTOR(8)
J_VECTOR(16)
