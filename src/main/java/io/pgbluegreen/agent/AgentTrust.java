package io.pgbluegreen.agent;

import io.pgbluegreen.config.PemCertificates;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A TLS context that trusts only the CA certificates of the agents' PEM file: not the JVM's trust store, so a
 * certificate any public CA signed for an agent's host name is still refused. Host names are verified as usual.
 */
final class AgentTrust {
    private AgentTrust() {
    }

    static SSLContext forCa(Path caFile) throws IOException {
        List<X509Certificate> cas = PemCertificates.read(caFile);
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trusted.setCertificateEntry("agent-ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot build a trust store from " + caFile + ": " + e.getMessage(), e);
        }
    }
}
