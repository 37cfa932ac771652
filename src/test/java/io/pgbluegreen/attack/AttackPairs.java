package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;

import java.util.List;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;

/** Shared setup of the attack tests (as LogicalCutoverIT.createAppRole, which is package-private there). */
final class AttackPairs {
    private AttackPairs() {
    }

    /** The application's role on both sides, allowed to create tables in public (PostgreSQL 15+ does not by default). */
    static void createAppRole(LogicalPair pair) {
        for (PgServer side : List.of(pair.publisher(), pair.subscriber())) {
            side.execute(DATABASE, "CREATE ROLE app LOGIN PASSWORD 'app'", "GRANT ALL ON ALL TABLES IN SCHEMA public TO app",
                    "GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO app", "GRANT CREATE ON SCHEMA public TO app");
        }
    }
}
