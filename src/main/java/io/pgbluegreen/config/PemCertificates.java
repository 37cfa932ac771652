package io.pgbluegreen.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/** The X.509 certificates of a PEM file (a CA bundle): read at start to validate, and again by each client. */
public final class PemCertificates {
    private PemCertificates() {
    }

    /** At least one certificate, or an exception whose message says what is wrong with the file (not a stack). */
    public static List<X509Certificate> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                    .stream().filter(X509Certificate.class::isInstance).map(X509Certificate.class::cast).toList();
            if (certificates.isEmpty()) {
                throw new IOException(file + " holds no PEM certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new IOException(file + " is not a PEM certificate file (" + e.getMessage() + ")");
        }
    }
}
