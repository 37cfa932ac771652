package io.pgbluegreen.gate;

import java.util.Collection;
import java.util.List;

/** Lists names in a check's message, capped so a thousand forgotten tables still make a readable line. */
final class TableNames {
    static final int MAX_LISTED = 5;

    private TableNames() {
    }

    static String listed(Collection<String> names) {
        List<String> all = List.copyOf(names);
        String head = String.join(", ", all.subList(0, Math.min(MAX_LISTED, all.size())));
        return all.size() > MAX_LISTED ? head + " and " + (all.size() - MAX_LISTED) + " more" : head;
    }

    /** "; excluded on purpose: ..." when the check skipped tables because of exclude-tables, else "". */
    static String excludedNote(Collection<String> excluded) {
        return excluded.isEmpty() ? "" : "; excluded on purpose (exclude-tables): " + listed(excluded);
    }
}
