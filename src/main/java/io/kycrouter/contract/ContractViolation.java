package io.kycrouter.contract;

import java.util.List;
import java.util.stream.Collectors;

/** The problems found in the operator's files; its message lists them one a line, nothing else. */
public final class ContractViolation extends RuntimeException {

    private final transient List<Problem> problems;

    public ContractViolation(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
