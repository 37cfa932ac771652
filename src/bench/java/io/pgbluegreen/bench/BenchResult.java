package io.pgbluegreen.bench;

/** Everything measured for one number of targets. */
record BenchResult(int targets, LatencyStats latency, ScrapeLoop.Outcome loop, int upAtEnd,
                   RoundTripProbe.Window roundTrips) {
}
