package io.hermes.realtime.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of {@code io.hermes.realtime} depend on each other one way only. Read from the compiled
 * classes (every class name in each class file's constant pool: types used in code, signatures, generics
 * and annotations alike), so an import that the compiler keeps counts and one it drops does not.
 */
class PackageGraphTest {
    /**
     * The shared packages, which features build on, and all they may use of ours: never a feature, never
     * the composition root. A new arrow between them is a decision, made here.
     */
    private static final Map<String, Set<String>> SHARED_MAY_USE = Map.of(
            "json", Set.of(),
            "redis", Set.of(),
            "http", Set.of("json", "redis"),
            "metrics", Set.of("http", "json"),
            "polling", Set.of("http", "json", "redis"),
            "bus", Set.of("json", "redis", "metrics"),
            "egress", Set.of()); // the worker builds on it: it must never learn of downloads or the worker
    private static final Pattern OUR_PACKAGE = Pattern.compile("io/hermes/realtime/([a-z][a-z0-9_]*)/");

    /** Package → the other packages of ours its classes refer to. */
    private static Map<String, Set<String>> graph;

    @BeforeAll
    static void readCompiledClasses() throws IOException, URISyntaxException {
        Path classes = Path.of(HermesApplication.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = classes.resolve("io/hermes/realtime");
        graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).toList()) {
                String from = root.relativize(file).getName(0).toString();
                Set<String> targets = graph.computeIfAbsent(from, any -> new TreeSet<>());
                for (String to : packagesNamedIn(Files.readAllBytes(file))) {
                    if (!to.equals(from)) {
                        targets.add(to);
                    }
                }
            }
        }
    }

    @Test
    void packagesFormNoCycle() {
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : stronglyConnected(graph)) {
            if (component.size() > 1) {
                cycles.add(String.join(" → ", shortestCycle(graph, component)) + " (within " + component + ")");
            }
        }
        assertEquals(List.of(), cycles, "package cycles (each line one, starting and ending at one package); "
                + "break each by moving the shared type down or passing a function instead of the package");
    }

    @Test
    void sharedPackagesUseOnlyTheSharedPackagesBelowThem() {
        Map<String, Set<String>> unexpected = new TreeMap<>();
        SHARED_MAY_USE.forEach((shared, allowed) -> {
            Set<String> used = new TreeSet<>(graph.getOrDefault(shared, Set.of()));
            used.removeAll(allowed);
            if (!used.isEmpty()) {
                unexpected.put(shared, used);
            }
        });
        assertEquals(Map.of(), unexpected, "shared package → what it uses beyond SHARED_MAY_USE");
    }

    @Test
    void onlyTheCompositionRootKnowsEveryone() {
        graph.forEach((from, targets) -> assertFalse(targets.contains("app"), from + " depends on app"));
    }

    @Test
    void theReaderSeesWhatTheCompilerWrote() {
        // Guards the reader itself: a class known to use bus types must be seen to.
        assertTrue(graph.get("app").contains("bus"), "app → bus: " + graph.get("app"));
        assertTrue(graph.size() > 10, "packages read: " + graph.keySet());
    }

    /**
     * The packages named in a class file's constant pool. Every type a class uses appears there, in a class
     * entry or a descriptor or signature; string literals are skipped, so a message that names a class
     * creates no dependency.
     */
    static Set<String> packagesNamedIn(byte[] classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalArgumentException("not a class file");
            }
            in.skipNBytes(4); // minor and major version
            int count = in.readUnsignedShort();
            String[] texts = new String[count];
            Set<Integer> literals = new HashSet<>();
            for (int index = 1; index < count; index++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts[index] = in.readUTF(); // Utf8: the class file's modified UTF-8 is DataInput's
                    case 8 -> literals.add(in.readUnsignedShort()); // String: its text is a literal, not a type
                    case 7, 16, 19, 20 -> in.skipNBytes(2); // Class, MethodType, Module, Package: an index
                    case 15 -> in.skipNBytes(3); // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4); // numbers, member refs, (Invoke)Dynamic
                    case 5, 6 -> { // Long and Double take two entries
                        in.skipNBytes(8);
                        index++;
                    }
                    default -> throw new IllegalArgumentException("unknown constant pool tag " + tag);
                }
            }
            Set<String> packages = new TreeSet<>();
            for (int index = 1; index < count; index++) {
                if (texts[index] != null && !literals.contains(index)) {
                    Matcher named = OUR_PACKAGE.matcher(texts[index]);
                    while (named.find()) {
                        packages.add(named.group(1));
                    }
                }
            }
            return packages;
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }

    /** Tarjan's strongly connected components: each is a cycle or a single package. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> edges) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> lowLink = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new HashSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String start : edges.keySet()) {
            if (!index.containsKey(start)) {
                connect(start, edges, index, lowLink, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Set<String>> edges, Map<String, Integer> index,
            Map<String, Integer> lowLink, Deque<String> stack, Set<String> onStack, List<Set<String>> components) {
        index.put(node, index.size());
        lowLink.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : edges.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, edges, index, lowLink, stack, onStack, components);
                lowLink.put(node, Math.min(lowLink.get(node), lowLink.get(next)));
            } else if (onStack.contains(next)) {
                lowLink.put(node, Math.min(lowLink.get(node), index.get(next)));
            }
        }
        if (lowLink.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    /** A shortest cycle through the component's first package, staying inside the component. */
    static List<String> shortestCycle(Map<String, Set<String>> edges, Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String node = queue.poll();
            for (String next : edges.getOrDefault(node, Set.of())) {
                if (next.equals(start)) {
                    List<String> cycle = new ArrayList<>(List.of(start));
                    for (String step = node; step != null && !step.equals(start); step = cameFrom.get(step)) {
                        cycle.add(1, step);
                    }
                    cycle.add(start);
                    return cycle;
                }
                if (component.contains(next) && !cameFrom.containsKey(next)) {
                    cameFrom.put(next, node);
                    queue.add(next);
                }
            }
        }
        throw new IllegalStateException("no cycle through " + start + " in " + component);
    }

    @Test
    void aCycleIsFoundAndNamed() {
        Map<String, Set<String>> edges = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a", "d"),
                "d", Set.of());
        List<Set<String>> components = stronglyConnected(edges);
        assertTrue(components.contains(Set.of("a", "b", "c")), components.toString());
        assertEquals(List.of("a", "b", "c", "a"), shortestCycle(edges, new TreeSet<>(Set.of("a", "b", "c"))));
    }
}
