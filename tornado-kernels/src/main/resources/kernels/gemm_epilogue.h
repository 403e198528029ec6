/*
 * GEMM epilogues, chosen at compile time with -DEPILOGUE=n (one program per epilogue):
 *   0 NONE            out = acc + bias
 *   1 GELU            out = gelu_tanh(acc + bias)
 *   2 RESIDUAL        out = out + (acc + bias)                      (in place on the residual stream)
 *   3 GATED_RESIDUAL  out = out + gate[b][n] * (acc + bias)         (b = m / rowsPerSample)
 * GATED reads gate[b * gateStride + gateOffset + n]: the adaLN modulation row of sample b.
 */
#ifndef EPILOGUE
#define EPILOGUE 0
#endif
#if EPILOGUE == 3
#define GATE_PARAMS , GLOBAL const float* RESTRICT gate, const int gateStride, const int gateOffset, const int rowsPerSample
#else
#define GATE_PARAMS
#endif
#define GELU_K0 0.7978845608028654f /* sqrt(2 / pi) */
#define GELU_K1 0.044715f
