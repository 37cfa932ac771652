package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.patroni.PatroniCluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Attack support: what patronictl pause/resume does, PATCH /config on a member, without waiting for anything. */
final class PatchConfig {
    private PatchConfig() {
    }

    static void pause(PatroniCluster cluster, String member, boolean on) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(cluster.restUrl(member) + "/config"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"pause\": " + on + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PATCH /config on " + member + ": " + r.statusCode() + " " + r.body());
        }
        System.out.println("PATCH /config pause=" + on + " on " + member + ": " + r.statusCode());
    }
}
