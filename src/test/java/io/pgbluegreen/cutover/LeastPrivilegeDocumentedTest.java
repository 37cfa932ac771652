package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.support.LeastPrivilege;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The grants LeastPrivilegeCutoverIT proves sufficient are the ones the README tells operators to run, verbatim. */
class LeastPrivilegeDocumentedTest {
    @Test
    void everyGrantTheTestsRunIsInTheReadme() throws Exception {
        String readme = Files.readString(PgDistribution.projectDir().resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Least privilege"), readme.indexOf("## HTTP"));
        List<LeastPrivilege.Grant> grants = new ArrayList<>(LeastPrivilege.physical(17, List.of("app")));
        grants.addAll(LeastPrivilege.logical(16, 17, List.of("app"), LogicalPair.SUBSCRIPTION));
        grants.addAll(LeastPrivilege.reverse(LogicalPair.DATABASE));
        List<String> missing = grants.stream().map(LeastPrivilege.Grant::statement).distinct()
                .filter(statement -> !section.contains(statement + ";")).toList();
        assertEquals(List.of(), missing, "statements the tests run that the README's Least privilege section lacks");
        assertTrue(section.contains(LeastPrivilege.CREATE_ROLE.replace(LeastPrivilege.PASSWORD, "...")),
                "the README creates the role as the tests do");
    }
}
