package io.pgbluegreen.journal;

import java.nio.file.Path;

/**
 * A journal line that is not an entry and is not the last line: not a write cut short by a crash, so something
 * else damaged the file. The daemon refuses to start on it (one line naming the file and the line, exit status 2):
 * reading on without that entry could, for a lost fence entry, change what a rollback does.
 */
public class JournalCorruptException extends RuntimeException {
    public JournalCorruptException(Path path, int line, String start) {
        super("the journal " + path + " is damaged at line " + line + " (not a journal entry, and not a last line cut"
                + " short by a crash): repair or remove that line, or move the file aside, then start again; it reads: "
                + start, null, false, false);
    }
}
