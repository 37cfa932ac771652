package io.pgbluegreen.pgbouncer;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A [databases] entry's key=value pairs, read as PgBouncer reads them and changed value by value. */
class ConnStringTest {
    private static final String ENTRY = "host=10.0.0.5 port=5432 dbname=app user=app password='a b c'"
            + " connect_query='SET search_path = x' application_name='it\\'s' auth_user='o''brien'  pool_size=20";

    @Test
    void quotedValuesKeepTheirSpacesAndEscapedQuotes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("host", "10.0.0.5");
        expected.put("port", "5432");
        expected.put("dbname", "app");
        expected.put("user", "app");
        expected.put("password", "a b c");
        expected.put("connect_query", "SET search_path = x");
        expected.put("application_name", "it's");
        expected.put("auth_user", "o'brien");
        expected.put("pool_size", "20");
        assertEquals(expected, ConnString.values(ENTRY));
        assertEquals(Map.of("host", "h", "port", "1"), ConnString.values("  host = h\tport= '1' "), "blanks around '='");
        assertEquals(Map.of("password", "x\\y"), ConnString.values("password=x\\y"), "other backslashes are kept");
    }

    @Test
    void changingValuesLeavesEveryOtherByteAsWritten() {
        String changed = ConnString.with(ENTRY, ordered("host", "10.0.0.6", "port", "5433", "dbname", "app_v2"));
        assertEquals(ENTRY.replace("host=10.0.0.5", "host=10.0.0.6").replace("port=5432", "port=5433")
                .replace("dbname=app ", "dbname=app_v2 "), changed);
        assertEquals(ENTRY, ConnString.with(ENTRY, ordered("host", "10.0.0.5", "port", "5432", "dbname", "app")),
                "equal values keep their text");
        assertEquals("dbname='x' host=h port=1", ConnString.with("dbname='x'", ordered("host", "h", "port", "1", "dbname", "x")),
                "missing keys are appended; an equal value keeps its quotes");
        assertEquals("dbname='my db' host='it''s'", ConnString.with("dbname=x", ordered("dbname", "my db", "host", "it's")),
                "quoted only when needed, a quote doubled");
        assertEquals(ConnString.values("dbname='my db' host='it''s'"), Map.of("dbname", "my db", "host", "it's"), "and read back");
    }

    @Test
    void thePasswordIsMaskedWhateverItsQuoting() {
        assertEquals("host=h password=*** user=u", ConnString.redacted("host=h password='a b c' user=u"));
        assertEquals("password=*** x=y", ConnString.redacted("password=secret x=y"));
    }

    @Test
    void brokenEntriesAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnString.parse("host=h password='open"))
                .getMessage().contains("password is not closed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnString.parse("host=h junk"))
                .getMessage().contains("'junk' is not followed by '='"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConnString.parse("host=''"))
                .getMessage().contains("host has an empty value"));
    }

    private static Map<String, String> ordered(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
