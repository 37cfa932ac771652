package io.pgbluegreen.readme;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.pgbluegreen.readme.ReadmeRunbooks.Block;
import io.pgbluegreen.readme.ReadmeRunbooks.Command;
import io.pgbluegreen.readme.ReadmeRunbooks.Curl;
import io.pgbluegreen.sandbox.Sandbox;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's runbooks are well-formed (no server needed): every marked block belongs to a known runbook, has a
 * step name of its own and commands each followed by the answer the operator sees; every command is a curl against
 * $PGBG with the token on every mutating call, on a route one of the daemon's controllers serves (read from their
 * annotations), about a deployment the sandbox or ReadmeRunbookIT's Patroni cluster configures. ReadmeRunbookIT runs
 * the same blocks.
 */
class ReadmeRunbookTest {
    /** The deployments the runbooks may name: the sandbox's and the Patroni test's. */
    static final Set<String> DEPLOYMENTS = Set.of(Sandbox.PHYSICAL, Sandbox.LOGICAL, Sandbox.RESTORE, ReadmeRunbookIT.PATRONI_DEPLOYMENT);
    /** Micronaut's management endpoint, not a controller of ours. */
    private static final List<Route> MANAGEMENT = List.of(new Route("GET", "/health", "micronaut-management"));

    record Route(String method, String template, String owner) {
        boolean matches(String method, String path) {
            return this.method.equals(method) && path.matches(template.replaceAll("\\{[^}]+}", "[^/?]+"));
        }
    }

    @Test
    void everyKnownRunbookIsThereAndEveryBlockIsWellFormed() {
        List<Block> blocks = ReadmeRunbooks.parse();
        Map<String, List<Block>> byRunbook = ReadmeRunbooks.byRunbook(blocks);
        List<String> known = Stream.concat(ReadmeRunbooks.SANDBOX_RUNBOOKS.stream(), ReadmeRunbooks.PATRONI_RUNBOOKS.stream()).toList();
        List<String> problems = new ArrayList<>();
        for (String runbook : known) {
            if (!byRunbook.containsKey(runbook)) {
                problems.add("no block with runbook=" + runbook);
            }
        }
        for (var entry : byRunbook.entrySet()) {
            if (!known.contains(entry.getKey())) {
                problems.add("unknown runbook=" + entry.getKey() + " (known: " + known + ")");
            }
            Set<String> steps = new HashSet<>();
            for (Block b : entry.getValue()) {
                b.problems().forEach(p -> problems.add(b.where() + ": " + p));
                if (b.step() != null && !steps.add(b.step())) {
                    problems.add(b.where() + ": step " + b.step() + " given twice in the runbook");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(blocks.size() >= 20, "the runbooks have " + blocks.size() + " blocks");
    }

    @Test
    void everyCommandIsACurlOnARouteTheDaemonServes() throws Exception {
        List<Route> routes = new ArrayList<>(routes());
        routes.addAll(MANAGEMENT);
        List<String> problems = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (Block b : ReadmeRunbooks.parse()) {
            for (Command c : b.commands()) {
                Curl curl = ReadmeRunbooks.curl(c.text());
                String where = "README.md:" + c.line() + " (" + b.runbook() + "/" + b.step() + ")";
                curl.problems().forEach(p -> problems.add(where + ": " + p));
                String path = curl.path();
                if (routes.stream().noneMatch(r -> r.matches(curl.method(), path))) {
                    problems.add(where + ": " + curl.method() + " " + path + " is no route of the daemon");
                } else {
                    used.add(curl.method() + " " + path);
                }
                if (!curl.method().equals("GET") && !curl.headers().contains("Authorization: Bearer $TOKEN")) {
                    problems.add(where + ": a " + curl.method() + " without -H \"Authorization: Bearer $TOKEN\"");
                }
                if (curl.data() != null && !curl.headers().contains("Content-Type: application/json")) {
                    problems.add(where + ": a body without -H 'Content-Type: application/json'");
                }
                if (path.startsWith("/deployments/")) {
                    String name = path.split("/")[2];
                    if (!DEPLOYMENTS.contains(name)) {
                        problems.add(where + ": deployment " + name + " is none the tests configure " + DEPLOYMENTS);
                    }
                }
                if (c.expectation() != null && c.expectation().repeat() && !curl.method().equals("GET")) {
                    problems.add(where + ": only a GET may be repeated");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        System.out.println("README runbooks use: " + used);
    }

    @Test
    void theRoutesAreReadFromTheControllers() throws Exception {
        List<Route> routes = routes();
        for (String expected : List.of("POST /deployments/{name}/cutover", "POST /deployments/{name}/rollback",
                "POST /deployments/{name}/logical/attach", "POST /deployments/{name}/safety-net",
                "GET /deployments/{name}/safety-net", "DELETE /deployments/{name}/safety-net",
                "POST /deployments/{name}/safety-net/rollback", "GET /deployments/{name}/gate", "GET /prometheus",
                "GET /operations/{id}")) {
            assertTrue(routes.stream().anyMatch(r -> (r.method() + " " + r.template()).equals(expected)),
                    expected + " in " + routes);
        }
        assertFalse(routes.stream().anyMatch(r -> r.template().startsWith("/agent")), "agent routes are not the daemon's");
    }

    @Test
    void commandsAndExpectationsAreReadAsTheShellAndTheTestMeanThem() {
        Curl curl = ReadmeRunbooks.curl("curl -s -X POST -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
                + " -d \"{\\\"lsn\\\": \\\"$LSN\\\"}\" \"$PGBG/deployments/x/logical/attach?a=1&b=2\" | grep 'a|b'");
        assertEquals(List.of(), curl.problems());
        assertEquals("POST", curl.method());
        assertEquals("{\"lsn\": \"$LSN\"}", curl.data());
        assertEquals("/deployments/x/logical/attach", curl.path());
        assertEquals(List.of("grep", "a|b"), curl.pipe());
        assertFalse(ReadmeRunbooks.curl("curl -s http://example.com/prometheus").problems().isEmpty());
        assertFalse(ReadmeRunbooks.curl("curl -s $PGBG/x; rm -rf /tmp/y").problems().isEmpty());
        assertFalse(ReadmeRunbooks.curl("curl -s -H \"Authorization: Bearer $(cat token)\" $PGBG/x").problems().isEmpty());
        assertFalse(ReadmeRunbooks.curl("curl -s $HOST/x").problems().isEmpty());

        var e = ReadmeRunbooks.expectation("202 \"kind\":\"cutover\" 'a b{c=\"d\"} 1'  (repeat until)");
        assertEquals(202, e.status());
        assertEquals(List.of("\"kind\":\"cutover\"", "a b{c=\"d\"} 1"), e.fragments());
        assertTrue(e.repeat());

        List<Block> blocks = ReadmeRunbooks.parse(List.of("text", "```sh runbook=x step=y", "curl -s $PGBG/a \\",
                "  -X GET", "# -> 200 \"a\"", "# prose", "curl -s $PGBG/b", "```", "```sh runbook=x", "curl -s $PGBG/c", "```"));
        assertEquals(2, blocks.size());
        assertEquals("curl -s $PGBG/a -X GET", blocks.get(0).commands().get(0).text());
        assertEquals(200, blocks.get(0).commands().get(0).expectation().status());
        assertEquals(List.of("line 7: no '# -> <status> ...' line under the command"), blocks.get(0).problems());
        assertTrue(blocks.get(1).problems().contains("no step="), blocks.get(1).problems().toString());
    }

    /** Every route of the daemon's controllers (agent mode's aside), from their Micronaut annotations. */
    static List<Route> routes() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Route> routes = new ArrayList<>();
        for (Class<?> type : daemonClasses()) {
            Controller controller = type.getAnnotation(Controller.class);
            if (controller == null) {
                continue;
            }
            String base = controller.value().equals("/") ? "" : controller.value();
            for (Method method : type.getDeclaredMethods()) {
                for (Annotation a : method.getAnnotations()) {
                    String verb;
                    String uri;
                    if (a instanceof Get g) {
                        verb = "GET";
                        uri = first(g.value(), g.uri());
                    } else if (a instanceof Post p) {
                        verb = "POST";
                        uri = first(p.value(), p.uri());
                    } else if (a instanceof Delete d) {
                        verb = "DELETE";
                        uri = first(d.value(), d.uri());
                    } else if (a instanceof Put p) {
                        verb = "PUT";
                        uri = first(p.value(), p.uri());
                    } else if (a instanceof Patch p) {
                        verb = "PATCH";
                        uri = first(p.value(), p.uri());
                    } else {
                        continue;
                    }
                    String template = base + (uri.equals("/") ? "" : uri);
                    routes.add(new Route(verb, template.isEmpty() ? "/" : template, type.getSimpleName()));
                }
            }
        }
        return routes;
    }

    private static String first(String value, String uri) {
        return !value.isEmpty() && !value.equals("/") ? value : uri;
    }

    private static List<Class<?>> daemonClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Class<?>> classes = new ArrayList<>();
        ClassLoader loader = ReadmeRunbookTest.class.getClassLoader();
        Enumeration<URL> roots = loader.getResources("io/pgbluegreen");
        while (roots.hasMoreElements()) {
            URL root = roots.nextElement();
            if (!root.getProtocol().equals("file")) {
                continue;
            }
            Path dir = Path.of(root.toURI());
            Path classesRoot = dir.getParent().getParent();
            if (!classesRoot.getFileName().toString().equals("classes")) {
                continue; // target/classes only: the product, not the tests' controllers
            }
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith("Controller.class")).toList()) {
                    String name = classesRoot.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                    if (!name.startsWith("io.pgbluegreen.agent.")) {
                        classes.add(Class.forName(name, false, loader));
                    }
                }
            }
        }
        assertFalse(classes.isEmpty(), "no controller found under target/classes");
        return classes;
    }
}
