package io.pgbluegreen.metrics;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.sampling.DeploymentLag;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** What a deployment exports: its shape and how far green is behind blue. */
final class DeploymentSeries {
    private DeploymentSeries() {
    }

    static void add(SeriesList out, DeploymentConfig deployment, DeploymentLag lag) {
        String d = deployment.name();
        out.add(DEPLOYMENT_INFO, 1, d, deployment.deploymentMode().label(), deployment.blue(), deployment.green());
        out.add(DEPLOYMENT_LAG_BYTES, lag.bytes(), d);
        out.add(DEPLOYMENT_LAG_SECONDS, lag.seconds(), d);
    }
}
