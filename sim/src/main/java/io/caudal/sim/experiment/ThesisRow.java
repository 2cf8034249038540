package io.caudal.sim.experiment;

/**
 * One point of the thesis experiment: with {@code servers} servers and {@code clients} clients,
 * the mean CPU utilization of the servers (figure 18) and how long the clients that arrived in
 * that step waited for a server (figure 19).
 *
 * @param servers servers in the region
 * @param clients clients arrived so far
 * @param meanUtilization mean CPU utilization (0–1) over the servers in the second half of the step
 * @param meanWaitMs mean wait from PLAY_REQUESTED to a server of the step's new clients; a client
 *     still waiting at the end of the run counts with the time it had waited by then
 * @param p95WaitMs 95th percentile of the same waits
 * @param waitingAtEnd the step's new clients that never got a server
 */
public record ThesisRow(int servers, int clients, double meanUtilization, double meanWaitMs, double p95WaitMs,
    int waitingAtEnd) {}
