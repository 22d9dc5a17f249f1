package io.kycrouter.mapping;

import org.apache.camel.MessageHistory;
import org.apache.camel.NamedNode;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.HasExpressionType;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The branches an exchange took through the routes, from Camel's message history: each {@code when} or
 * {@code otherwise} holding a step that ran, with its file and line
 * ({@code routes/sumsub.yaml:34 when $[?(@.type == 'applicantReviewed')]}), in the order they were entered.
 */
final class BranchTrail {

    private BranchTrail() {
    }

    static List<String> of(List<MessageHistory> history) {
        if (history == null) {
            return List.of();
        }
        Set<NamedNode> seen = new LinkedHashSet<>();
        List<String> lines = new ArrayList<>();
        for (MessageHistory step : history) {
            List<NamedNode> branches = new ArrayList<>();
            // the steps of a when or otherwise have the choice as their parent: the clause is the one holding the step
            for (NamedNode node = step.getNode(); node != null; node = node.getParent()) {
                if (node.getParent() instanceof ChoiceDefinition choice) {
                    NamedNode clause = clauseOf(choice, node);
                    if (clause != null) {
                        branches.add(0, clause); // outermost first
                    }
                }
            }
            for (NamedNode branch : branches) {
                if (seen.add(branch)) {
                    lines.add(describe(branch));
                }
            }
        }
        return List.copyOf(lines);
    }

    private static NamedNode clauseOf(ChoiceDefinition choice, NamedNode step) {
        for (WhenDefinition when : choice.getWhenClauses()) {
            if (holds(when.getOutputs(), step)) {
                return when;
            }
        }
        OtherwiseDefinition otherwise = choice.getOtherwise();
        return otherwise != null && holds(otherwise.getOutputs(), step) ? otherwise : null;
    }

    private static boolean holds(List<? extends ProcessorDefinition<?>> outputs, NamedNode step) {
        return outputs.stream().anyMatch(output -> output == step);
    }

    private static String describe(NamedNode branch) {
        String where = location(branch.getLocation()) + ":" + branch.getLineNumber();
        if (branch instanceof HasExpressionType when && when.getExpressionType() != null) {
            // Camel's YAML DSL records a when at the line before its entry (where the sequence item starts): the
            // reader is pointed at the entry itself, where its expression is
            where = location(branch.getLocation()) + ":" + (branch.getLineNumber() < 0 ? -1 : branch.getLineNumber() + 1);
            ExpressionDefinition e = when.getExpressionType();
            String language = e.getLanguage() == null ? "" : e.getLanguage() + " ";
            return where + " when " + language + e.getExpression();
        }
        return where + " " + branch.getShortName();
    }

    /** {@code file:routes/sumsub.yaml} as {@code routes/sumsub.yaml}: the path a reader opens. */
    static String location(String location) {
        if (location == null) {
            return "?";
        }
        int colon = location.indexOf(':');
        return colon > 1 ? location.substring(colon + 1) : location;
    }
}
