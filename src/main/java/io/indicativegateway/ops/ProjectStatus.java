package io.indicativegateway.ops;

/**
 * How delivery to one Indicative project is going, for health output.
 *
 * @param project the project key, masked
 * @param circuit the circuit breaker's state (CLOSED, OPEN, HALF_OPEN), or IDLE when nothing was sent yet
 * @param problem why Indicative refuses this project's key, or null
 * @param configured whether an enabled source sends to this project now; a project that only has stored
 *     messages left (its source was removed or disabled) is reported but does not decide readiness
 */
public record ProjectStatus(String project, String circuit, String problem, boolean configured) {}
