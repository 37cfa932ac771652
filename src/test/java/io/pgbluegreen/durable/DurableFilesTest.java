package io.pgbluegreen.durable;

import io.pgbluegreen.fixture.OsUser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The atomic replace of a file (pgbouncer.ini) on a real file system, without servers. */
class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedFileIsANewFileWithTheOldPermissionsAndNoLeftovers() throws IOException {
        Path file = dir.resolve("pgbouncer.ini");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Object inodeBefore = Files.readAttributes(file, PosixFileAttributes.class).fileKey();

        DurableFiles.replace(file, "new\n".getBytes(StandardCharsets.UTF_8));

        assertEquals("new\n", Files.readString(file));
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals("rw-r-----", PosixFilePermissions.toString(after.permissions()));
        assertNotEquals(inodeBefore, after.fileKey(), "renamed over the original, not written in place");
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file left");
        }
    }

    @Test
    void aSymbolicLinkStaysALinkAndItsTargetIsReplaced() throws IOException {
        Path real = Files.createDirectory(dir.resolve("real")).resolve("pgbouncer.ini");
        Files.writeString(real, "old\n");
        Path link = Files.createSymbolicLink(dir.resolve("pgbouncer.ini"), real);
        DurableFiles.replace(link, "new\n".getBytes(StandardCharsets.UTF_8));
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new\n", Files.readString(real));
    }

    @Test
    void ownerAndGroupAreKeptWhereTheProcessMaySetThem() throws IOException {
        assumeTrue(OsUser.isRoot(), "only root may give a file away");
        Path file = dir.resolve("pgbouncer.ini");
        Files.writeString(file, "old\n");
        var lookup = file.getFileSystem().getUserPrincipalLookupService();
        Files.setOwner(file, lookup.lookupPrincipalByName("nobody"));
        var view = Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        DurableFiles.replace(file, "new\n".getBytes(StandardCharsets.UTF_8));
        PosixFileAttributes after = Files.readAttributes(file, PosixFileAttributes.class);
        assertEquals("nobody", after.owner().getName());
        assertEquals("nogroup", after.group().getName());
    }
}
