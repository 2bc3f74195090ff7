package io.indicativegateway.ops;

/**
 * How delivery to one Indicative project is going, for health output.
 *
 * @param project the project key, masked
 * @param circuit the circuit breaker's state (CLOSED, OPEN, HALF_OPEN)
 * @param problem why Indicative refuses this project's key, or null
 */
public record ProjectStatus(String project, String circuit, String problem) {}
