package io.pgbluegreen.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the JSON body of a call that changes something into its request record, refusing what the record does not
 * declare. Micronaut serde ignores unknown fields by default; made strict ({@code ignore-unknown: false} or
 * {@code @JsonIgnoreProperties}) its errors name neither the field's path nor the fields it knows. So the body is
 * parsed as a tree and walked against the record's introspection first: every field known (at any depth), of the
 * JSON type its component declares; only then is it bound. A misspelt {@code override.reson} must never reach a
 * cutover as "no reason given", let alone be ignored.
 *
 * <p>Every field is optional here (null counts as absent): what a call requires is said by the service behind it.
 * An empty body, and {@code {}}, read as no request (null) and an empty record respectively.
 */
public final class StrictBody {
    private StrictBody() {
    }

    public static <T> @Nullable T read(JsonMapper json, @Nullable String body, Class<T> type) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode tree;
        try {
            tree = json.readValue(body, JsonNode.class);
        } catch (IOException e) {
            // Jackson's first line says what and where; the lines after it quote the input
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BadRequest("body: malformed JSON (" + message.lines().findFirst().orElse("") + ")");
        }
        if (tree == null || tree.isNull()) {
            return null;
        }
        check("body", tree, Argument.of(type));
        try {
            return json.readValueFromTree(tree, type);
        } catch (IOException e) {
            // not expected after the walk above; still the operator's input, and still one line
            throw new BadRequest("body: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    private static void check(String path, JsonNode node, Argument<?> type) {
        if (node.isNull()) {
            return;
        }
        Class<?> java = type.getType();
        if (java == String.class) {
            expect(node.isString(), path, "a string", node);
        } else if (java == Boolean.class || java == boolean.class) {
            expect(node.isBoolean(), path, "true or false", node);
        } else if (Number.class.isAssignableFrom(Argument.of(java).getWrapperType())) {
            expect(node.isNumber(), path, "a number", node);
        } else if (Collection.class.isAssignableFrom(java)) {
            expect(node.isArray(), path, "a list", node);
            Argument<?> element = type.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT);
            int i = 0;
            for (JsonNode value : node.values()) {
                check(path + "[" + i++ + "]", value, element);
            }
        } else {
            checkObject(path, node, BeanIntrospector.SHARED.findIntrospection(java)
                    .orElseThrow(() -> new IllegalStateException(java + " is not introspected: it cannot be read strictly")));
        }
    }

    private static void checkObject(String path, JsonNode node, BeanIntrospection<?> bean) {
        expect(node.isObject(), path, "an object", node);
        Map<String, Argument<?>> fields = Arrays.stream(bean.getConstructorArguments())
                .collect(Collectors.toMap(Argument::getName, a -> a, (a, b) -> a, java.util.LinkedHashMap::new));
        for (Map.Entry<String, JsonNode> entry : node.entries()) {
            // the body's own fields are named bare (override), nested ones by their path (override.reason)
            String field = path.equals("body") ? entry.getKey() : path + "." + entry.getKey();
            Argument<?> declared = fields.get(entry.getKey());
            if (declared == null) {
                throw new BadRequest(BadRequest.clip(field) + ": unknown field ("
                        + (fields.isEmpty() ? "this call takes none" : "known: " + String.join(", ", fields.keySet())) + ")");
            }
            check(field, entry.getValue(), declared);
        }
    }

    private static void expect(boolean ok, String path, String expected, JsonNode node) {
        if (!ok) {
            throw new BadRequest(BadRequest.clip(path) + ": expected " + expected + ", got " + kind(node));
        }
    }

    private static String kind(JsonNode node) {
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isArray()) {
            return "a list";
        }
        return node.isObject() ? "an object" : "null";
    }
}
