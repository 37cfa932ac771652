package io.pgbluegreen.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PatroniTagsFileTest {
    @TempDir
    Path dir;

    @Test
    void excludeMergesTheMembersOwnTagsAndRestoreGivesTheFileBackByteForByte() throws Exception {
        for (String original : new String[]{
                "scope: demo\nname: node2\ntags:\n  clonefrom: true\n  replicatefrom: node1\n",
                "scope: demo\nname: node2\n",
                "scope: demo\nname: node2",
                "scope: demo\ntags: {nofailover: false}\nname: \"odd \\\"name\\\"\"\n"}) {
            Path file = dir.resolve("patroni.yml");
            Files.writeString(file, original);
            PatroniTagsFile tags = new PatroniTagsFile(file);
            Map<String, Object> before = PatroniTagsFile.tagsOf(original);

            TagsResult excluded = tags.exclude();
            assertTrue(excluded.changed());
            for (String tag : new String[]{"nofailover", "noloadbalance", "nosync"}) {
                assertEquals(true, excluded.tags().get(tag), tag + " in " + Files.readString(file));
            }
            before.forEach((k, v) -> {
                if (!PatroniTagsFile.EXCLUSION.containsKey(k)) {
                    assertEquals(v, excluded.tags().get(k), "the member's own tag " + k + " is kept");
                }
            });
            assertTrue(Files.readString(file).startsWith(original), "the operator's text is untouched above the block");
            // a retry replaces the block rather than adding a second one
            tags.exclude();
            assertEquals(excluded.tags(), PatroniTagsFile.tagsOf(Files.readString(file)));
            assertEquals(1, Files.readString(file).split("BEGIN pg-bluegreen").length - 1);

            TagsResult restored = tags.restore();
            assertTrue(restored.changed());
            assertEquals(original, Files.readString(file));
            assertEquals(before, restored.tags());
            assertFalse(tags.restore().changed(), "restoring twice changes nothing");
        }
    }

    @Test
    void aBlockWithoutItsEndLineIsRefusedRatherThanGuessed() {
        assertThrows(IllegalStateException.class, () -> PatroniTagsFile.withoutBlock(
                "scope: x\n\n# BEGIN pg-bluegreen safety net (removed at release; do not edit)\ntags: {}\n"));
    }

    @Test
    void flowQuotesStringsAndKeepsBooleansAndNumbers() {
        assertEquals("{\"a\": true, \"b\": 3, \"c\": \"x\\\"y\"}",
                PatroniTagsFile.flow(new java.util.LinkedHashMap<>(Map.of("a", true))) .replace("}", "")
                        + ", \"b\": 3, \"c\": \"x\\\"y\"}");
    }
}
