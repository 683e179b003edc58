package dev.chorus.redis;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only when the Redis of {@link RedisTestSupport} answers: otherwise each test
 * is reported skipped with the reason, or, with {@code CI=true}, fails. Evaluated before any
 * {@code @BeforeEach}, including those of the contract suites.
 */
final class RedisAvailable implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String problem = RedisTestSupport.problem();
        if (problem == null) {
            return ConditionEvaluationResult.enabled("Redis at " + RedisTestSupport.URI + " answers");
        }
        String message = "Redis at " + RedisTestSupport.URI + " is not reachable (" + problem + ")";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + ": with CI=true the Redis tests must run");
        }
        return ConditionEvaluationResult.disabled(message + ": skipping the Redis tests");
    }
}
