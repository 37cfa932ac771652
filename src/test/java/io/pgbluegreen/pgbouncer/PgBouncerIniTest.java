package io.pgbluegreen.pgbouncer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** pgbouncer.ini rewritten for a switch: only host, port and dbname of one entry change, byte for byte. */
class PgBouncerIniTest {
    @TempDir
    Path dir;

    @Test
    void theSwitchChangesThreeValuesOfOneEntryAndNoOtherByte() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        byte[] before = ini("10.0.0.5", 5432, "app");
        Files.write(file, before);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw----"));
        Object inode = Files.readAttributes(file, PosixFileAttributes.class).fileKey();

        String previous = PgBouncerIni.pointAt(file, "app", "10.0.0.6", 5433, "app_v2");

        assertEquals("host=10.0.0.5 port=5432  dbname=app password='a b c' connect_query='SET search_path = x'"
                + " application_name='it\\'s' user='o''brien'", previous);
        assertArrayEquals(ini("10.0.0.6", 5433, "app_v2"), Files.readAllBytes(file));
        assertEquals(new PgBouncerEndpoint("10.0.0.6", 5433, "app_v2"), PgBouncerIni.endpoint("app", PgBouncerIni.entry(file, "app")));
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals("rw-rw----", PosixFilePermissions.toString(after.permissions()));
        assertNotEquals(inode, after.fileKey(), "replaced atomically (a new file renamed over the old), not written in place");
    }

    @Test
    void anEntryAlreadyPointingThereIsNotRewritten() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        Files.write(file, ini("10.0.0.5", 5432, "app"));
        Object inode = Files.readAttributes(file, PosixFileAttributes.class).fileKey();
        PgBouncerIni.pointAt(file, "app", "10.0.0.5", 5432, "app");
        assertEquals(inode, Files.readAttributes(file, PosixFileAttributes.class).fileKey());
    }

    @Test
    void aQuotedDatabaseNameAndAMissingEntry() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        Files.writeString(file, "[databases]\n\"my \"\"db\"\"\" = host=a dbname=x\n");
        PgBouncerIni.pointAt(file, "my \"db\"", "b", 6432, "x");
        assertEquals("[databases]\n\"my \"\"db\"\"\" = host=b dbname=x port=6432\n", Files.readString(file));
        IOException missing = assertThrows(IOException.class, () -> PgBouncerIni.pointAt(file, "other", "b", 1, "x"));
        assertEquals("no [databases] entry 'other' in " + file, missing.getMessage());
    }

    @Test
    void aNewValueIsQuotedWhenItMustBeWrittenAsUtf8AndNothingIsLeftBeside() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        Files.writeString(file, "[databases]\napp = host=a port=5432 dbname=app\n");
        PgBouncerIni.pointAt(file, "app", "b", 5433, "café v2");
        assertArrayEquals("[databases]\napp = host=b port=5433 dbname='café v2'\n".getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(file));
        assertEquals(new PgBouncerEndpoint("b", 5433, "café v2"), PgBouncerIni.endpoint("app", PgBouncerIni.entry(file, "app")));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "the replace left no temporary file in the directory");
        }
    }

    @Test
    void anEntryThatCannotBeParsedIsRefusedAndTheFileIsLeftAsItWas() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        byte[] before = "[databases]\napp = host=a password='never closed\n".getBytes(StandardCharsets.UTF_8);
        Files.write(file, before);
        IOException refused = assertThrows(IOException.class, () -> PgBouncerIni.pointAt(file, "app", "b", 1, "app"));
        assertEquals("cannot rewrite the entry of app in " + file + ": the quoted value of password is not closed",
                refused.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
    }

    /**
     * A file with everything the switch must leave alone: comments (one naming the database), another section
     * with the same key, other entries, CRLF line ends, a byte that is not UTF-8, quoted values, odd spacing.
     */
    private static byte[] ini(String host, int port, String dbname) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write("; managed by hand\r\n[pgbouncer]\r\napp = not a database\r\nlisten_port = 6432\r\n\r\n[databases]\r\n"
                .getBytes(StandardCharsets.UTF_8));
        out.write("; app = host=commented.out\r\n# caf".getBytes(StandardCharsets.UTF_8));
        out.write(0xE9);  // Latin-1 é in a comment
        out.write(("\r\nreports = host=10.0.0.9 dbname=app password='x y'\r\n"
                + "app  =\thost=" + host + " port=" + port + "  dbname=" + dbname
                + " password='a b c' connect_query='SET search_path = x' application_name='it\\'s' user='o''brien'  \r\n"
                + "[users]\r\napp = pool_mode=session\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
