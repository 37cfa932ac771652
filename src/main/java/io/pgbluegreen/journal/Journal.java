package io.pgbluegreen.journal;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Append-only JSON lines, each forced to disk before {@link #append} returns: a step is journaled before and
 * after it runs, so a daemon killed at any point knows on restart where it was. A torn last line (a crash while
 * writing) is skipped when reading.
 */
@Singleton
public class Journal {
    private final Path path;
    private final JsonMapper json;
    private final FileChannel channel;

    public Journal(JournalConfig config, JsonMapper json) {
        this.path = Path.of(config.path()).toAbsolutePath();
        this.json = json;
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized void append(JournalEntry entry) {
        try {
            byte[] line = (json.writeValueAsString(entry) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(line);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            // Without a journal the invariants cannot be kept: the caller must stop what it is doing.
            throw new UncheckedIOException("cannot write the journal " + path + ": " + e.getMessage(), e);
        }
    }

    public synchronized List<JournalEntry> readAll() {
        List<JournalEntry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(json.readValue(line, JournalEntry.class));
                } catch (IOException torn) {
                    // a line cut short by a crash mid-write: nothing after it was acknowledged
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + path + ": " + e.getMessage(), e);
        }
        return entries;
    }

    public Path path() {
        return path;
    }
}
