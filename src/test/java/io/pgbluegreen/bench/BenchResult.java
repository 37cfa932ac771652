package io.pgbluegreen.bench;

/** Everything measured for one number of targets. */
record BenchResult(int targets, LatencyStats latency, DaemonProcess.Memory memory, int threads, int bodyBytes,
                   int bodyLines, RoundTripProbe.Window roundTrips, String loadAverage,
                   double runSeconds, CpuAccounting.Share cpu, DaemonStats jvm,
                   DaemonProcess.GcTotals gc) {
}
