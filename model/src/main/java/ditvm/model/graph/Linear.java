package ditvm.model.graph;

import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;

/**
 * A Linear(in -> out) ready for the GEMM kernels: the weight packed by GemmWeights (a
 * FloatArray for fp32, an IntArray of bf16 pairs for bf16), bias [out].
 */
record Linear(DeviceArray packedWeight, FloatArray bias, int in, int out) {
}
