package ditvm.graph;

import ditvm.kernel.Args;
import ditvm.kernel.Kernel;

/** One kernel launch in a graph: its id (unique in the graph), the kernel and checked arguments. */
public record Task(String id, Kernel kernel, Args args) {
}
