package io.pgbluegreen.durable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Files that must survive a crash or power loss as either their old or their new content, never a mix: the
 * journal (its directory entry) and pgbouncer.ini (replaced whole). A file's data is forced by its own fsync; its
 * name in a directory only by an fsync of that directory.
 */
public final class DurableFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFiles.class);

    private DurableFiles() {
    }

    /** Forces the entries of {@code dir} (a file created or renamed in it) to disk. */
    public static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Replaces the content of {@code file} atomically: a temporary file in the same directory gets the content,
     * the original's permissions (and owner and group, where this process may set them), is forced to disk and
     * renamed over the original, then the directory is forced. A reader (PgBouncer's RELOAD) sees the old file or
     * the new one, and a crash leaves one of them. A symbolic link is followed: the file it points to is replaced.
     */
    public static void replace(Path file, byte[] content) throws IOException {
        Path target = file.toRealPath();
        Path dir = target.getParent();
        PosixFileAttributes original = Files.readAttributes(target, PosixFileAttributes.class);
        Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                keepOwnership(temp, target, original);
                Files.setPosixFilePermissions(temp, original.permissions());
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        fsyncDirectory(dir);
    }

    /** Owner and group as before where allowed (root; a group this user belongs to); otherwise says what changes. */
    private static void keepOwnership(Path temp, Path target, PosixFileAttributes original) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        if (!now.group().equals(original.group())) {
            try {
                view.setGroup(original.group());
            } catch (FileSystemException e) {
                LOG.warn("{}: cannot keep group {} ({}): the rewritten file belongs to group {}", target,
                        original.group().getName(), e.getReason(), now.group().getName());
            }
        }
        if (!now.owner().equals(original.owner())) {
            try {
                view.setOwner(original.owner());
            } catch (FileSystemException e) {
                LOG.warn("{}: cannot keep owner {} ({}): the rewritten file belongs to {}", target,
                        original.owner().getName(), e.getReason(), now.owner().getName());
            }
        }
    }
}
