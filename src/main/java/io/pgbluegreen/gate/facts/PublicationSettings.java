package io.pgbluegreen.gate.facts;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ViewQuery;
import io.pgbluegreen.postgres.ServerVersion;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A publication of the connected database and which operations it sends ({@code publish}): one that leaves out
 * deletes, say, lets green keep rows blue no longer has.
 */
@Serdeable
public record PublicationSettings(String name, boolean allTables, boolean insert, boolean update, boolean delete,
                                  boolean truncate) {

    public static final String SQL = """
            SELECT pubname, puballtables, pubinsert, pubupdate, pubdelete, pubtruncate FROM pg_publication ORDER BY 1""";

    public static final ViewQuery<List<PublicationSettings>> QUERY = new ViewQuery<>() {
        @Override
        public String sql(ServerVersion version) {
            return SQL;
        }

        @Override
        public List<PublicationSettings> read(ResultSet rows) throws SQLException {
            List<PublicationSettings> publications = new ArrayList<>();
            while (rows.next()) {
                publications.add(new PublicationSettings(rows.getString("pubname"), rows.getBoolean("puballtables"),
                        rows.getBoolean("pubinsert"), rows.getBoolean("pubupdate"), rows.getBoolean("pubdelete"),
                        rows.getBoolean("pubtruncate")));
            }
            return publications;
        }
    };

    /** The operations it does not send, in publish's own words; empty when it sends them all. */
    public List<String> missingOperations() {
        List<String> missing = new ArrayList<>();
        if (!insert) {
            missing.add("insert");
        }
        if (!update) {
            missing.add("update");
        }
        if (!delete) {
            missing.add("delete");
        }
        if (!truncate) {
            missing.add("truncate");
        }
        return missing;
    }
}
