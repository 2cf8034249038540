package io.caudal.transcode.core.plan;

import java.io.Serializable;

/**
 * One rung of the bitrate ladder.
 *
 * @param id name used in paths and manifests, e.g. "720p"
 * @param width output width (even)
 * @param height output height (even)
 * @param targetKbps average bitrate asked of the encoder
 * @param maxKbps VBV maximum rate, so that a segment's peak stays near what the manifest says
 * @param bufferKbits VBV buffer size
 */
public record Rung(String id, int width, int height, int targetKbps, int maxKbps, int bufferKbits)
    implements Serializable {}
