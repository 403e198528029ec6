package ditvm.plan;

/** Whether an execution records device timings, and whether it prints them. */
public enum ProfilerMode {
    /** No events, no timings beyond the total wall time; byte counts are still kept (they are free). */
    OFF,
    /** Device event timings recorded into the result, nothing printed. */
    SILENT,
    /** As SILENT, and the profile printed to stderr after each execution. */
    CONSOLE
}
