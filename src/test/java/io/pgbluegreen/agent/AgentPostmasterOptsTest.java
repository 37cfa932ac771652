package io.pgbluegreen.agent;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** postmaster.opts as the postmaster writes it, turned into pg_ctl's -o, and what is refused on the way. */
class AgentPostmasterOptsTest {

    @Test
    void patronisCommandLineLosesTheBinaryAndTheDataDirectory() throws Exception {
        String opts = "/usr/lib/postgresql/16/bin/postgres \"-D\" \"/var/lib/postgresql/16/main\""
                + " \"--config-file=/var/lib/postgresql/16/main/postgresql.conf\" \"--listen_addresses=127.0.0.1\""
                + " \"--port=5433\" \"--cluster_name=demo\" \"--wal_level=replica\" \"--hot_standby=on\"\n";
        List<String> args = PostmasterOpts.parse(opts);
        assertEquals(List.of("--config-file=/var/lib/postgresql/16/main/postgresql.conf", "--listen_addresses=127.0.0.1",
                "--port=5433", "--cluster_name=demo", "--wal_level=replica", "--hot_standby=on"), args);
        assertEquals("'--config-file=/var/lib/postgresql/16/main/postgresql.conf' '--listen_addresses=127.0.0.1'"
                + " '--port=5433' '--cluster_name=demo' '--wal_level=replica' '--hot_standby=on'", PostmasterOpts.toOption(args));
    }

    @Test
    void aPlainStartHasNoOptions() throws Exception {
        assertEquals(List.of(), PostmasterOpts.parse("/opt/pg/bin/postgres \"-D\" \"/data\"\n"));
        assertEquals(List.of(), PostmasterOpts.parse("/opt/pg/bin/postgres\n"));
        assertEquals(List.of("-c", "port=5432", "-p", "5433"),
                PostmasterOpts.parse("/opt/pg/bin/postgres \"-D/data\" \"-c\" \"port=5432\" \"-p\" \"5433\"\n"));
    }

    @Test
    void anEarlierRecoveryTargetIsNotCarriedIntoTheNextStart() throws Exception {
        String opts = "/pg/bin/postgres \"-D\" \"/data\" \"--port=5433\" \"-c\" \"recovery_target_xid=745\" \"-c\""
                + " \"recovery_target_inclusive=on\" \"-c\" \"recovery_target_action=pause\" \"--recovery_target_lsn=0/3000000\"\n";
        assertEquals(List.of("--port=5433"), PostmasterOpts.parse(opts));
    }

    @Test
    void shellMetacharactersAreRefusedNamingTheArgument() {
        for (String bad : List.of("--port=5433;rm", "--x=$(id)", "--x=`id`", "--x=a'b", "--x=a\\b", "--x=a b",
                "--x=a|b", "--x=a&b", "--x=a>b", "--x=a*", "--x=~", "--x=a\tb")) {
            var refused = assertThrows(PostmasterOpts.Refused.class,
                    () -> PostmasterOpts.parse("/pg/bin/postgres \"-D\" \"/data\" \"" + bad + "\"\n"), bad);
            assertTrue(refused.getMessage().startsWith("refusing to pass argument '"), refused.getMessage());
            assertTrue(refused.getMessage().contains("pg_ctl -o"), refused.getMessage());
        }
    }

    @Test
    void aQuoteOrANewlineInsideAnArgumentBreaksTheFormatAndIsRefused() {
        assertThrows(PostmasterOpts.Refused.class,
                () -> PostmasterOpts.parse("/pg/bin/postgres \"-D\" \"/data\" \"--x=a\"b\"\n"));
        var twoLines = assertThrows(PostmasterOpts.Refused.class,
                () -> PostmasterOpts.parse("/pg/bin/postgres \"-D\" \"/data\" \"--x=a\nb\"\n"));
        assertEquals("postmaster.opts has more than one line", twoLines.getMessage());
        assertThrows(PostmasterOpts.Refused.class, () -> PostmasterOpts.parse("/pg/bin/postgres \"-D\" \"/data\" junk\n"));
    }
}
