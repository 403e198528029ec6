package ditvm.model.graph;

import ditvm.memory.FloatArray;

/** A Linear(in -> out) ready for the GEMM kernels: weight packed by GemmWeights, bias [out]. */
record Linear(FloatArray packedWeight, FloatArray bias, int in, int out) {
}
