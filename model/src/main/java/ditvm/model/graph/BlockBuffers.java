package ditvm.model.graph;

import ditvm.memory.FloatArray;

/**
 * Device-resident activations the blocks share: the residual stream x and scratch reused by
 * every block. Sizes with R = B * tokens rows: x, h, att [R, D]; qkv [R, 3D]; mlp [R, 4D];
 * mod [B, 6D] (adaLN modulation); condition [B, D] (SiLU(c) for adaLN, unused otherwise);
 * context [B, 2, D] and kv [B, 2, 2D] for cross-attention.
 */
record BlockBuffers(FloatArray x, FloatArray h, FloatArray qkv, FloatArray att, FloatArray mlp,
                    FloatArray mod, FloatArray condition, FloatArray context, FloatArray kv) {
}
