package io.pgbluegreen.journal;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads role names as one earlier version journaled them: quoted identifiers joined with commas
 * ({@code "app","a,b","say ""hi"""}), so that commas and quotes inside a name survive.
 */
final class QuotedNames {
    private QuotedNames() {
    }

    static List<String> parse(String text) {
        List<String> names = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) != '"') {
                throw new IllegalArgumentException("journaled role list is not quoted at " + i + ": " + text);
            }
            StringBuilder name = new StringBuilder();
            i++;
            while (true) {
                if (i >= text.length()) {
                    throw new IllegalArgumentException("journaled role list ends inside a name: " + text);
                }
                char c = text.charAt(i++);
                if (c == '"' && i < text.length() && text.charAt(i) == '"') {
                    name.append('"');
                    i++;
                } else if (c == '"') {
                    break;
                } else {
                    name.append(c);
                }
            }
            names.add(name.toString());
            if (i < text.length() && text.charAt(i++) != ',') {
                throw new IllegalArgumentException("journaled role list has no comma after a name at " + (i - 1) + ": " + text);
            }
        }
        return names;
    }
}
