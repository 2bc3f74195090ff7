/**
 * Indicative simulator: a real HTTP server that stands in for Indicative's API on a local port, for tests, load
 * tests, fault drills and runs without an Indicative key.
 *
 * <h2>Indicative endpoints ({@code POST}, JSON, base path {@code /service})</h2>
 * <ul>
 *   <li>{@code /service/event/batch} {@code {"apiKey", "events": [{eventName, eventUniqueId, eventTime,
 *       properties}, ...]}} (1 to 100 events)</li>
 *   <li>{@code /service/event}: one event plus {@code apiKey}</li>
 *   <li>{@code /service/identify} {@code {"apiKey", "uniqueId", "properties"}}</li>
 *   <li>{@code /service/alias} {@code {"apiKey", "previousId", "newId"}}</li>
 * </ul>
 * Answers: {@code 200 {"success":true}}; {@code 400 {"success":false,"message":"..."}} naming the wrong field (also
 * for a Content-Type other than {@code application/json} or a body that is not a JSON object); 401 for an api key
 * outside the configured set; 413 for a body over 1,000,000 bytes; 404 for an unknown path; and whatever the
 * behaviour controls inject (failures, 429 with {@code Retry-After}, delays, poisoned event names).
 *
 * <h2>Control endpoints (same port)</h2>
 * <ul>
 *   <li>{@code GET /_simulator/stats}: {@link io.indicativegateway.sim.SimulatorStats#toJson()}</li>
 *   <li>{@code GET /_simulator/received?kind=events|identifies|aliases|requests&from=N&limit=M}: a JSON array
 *       (defaults: events, 0, 1000; limit at most 100,000)</li>
 *   <li>{@code GET /_simulator/behavior}: the current controls</li>
 *   <li>{@code POST /_simulator/behavior}: change them, see
 *       {@link io.indicativegateway.sim.IndicativeSimulator#applyBehavior}</li>
 *   <li>{@code POST /_simulator/reset}: drop recordings and counters, clear the controls</li>
 * </ul>
 *
 * <p>Entry points: {@link io.indicativegateway.sim.IndicativeSimulator#start} (in-process),
 * {@link io.indicativegateway.sim.SimulatorVerticle} (deployable), {@link io.indicativegateway.sim.SimulatorCommand}
 * (the {@code simulator} command of the jar, and {@code scripts/simulator.sh}).
 */
package io.indicativegateway.sim;
