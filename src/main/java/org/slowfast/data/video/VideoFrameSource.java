package org.slowfast.data.video;

import static org.bytedeco.ffmpeg.global.avcodec.*;
import static org.bytedeco.ffmpeg.global.avformat.*;
import static org.bytedeco.ffmpeg.global.avutil.*;
import static org.bytedeco.ffmpeg.global.swscale.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.data.FrameSource;

/**
 * Frame-accurate random access to a video file with FFmpeg (through JavaCPP's presets).
 *
 * <p>Frame {@code k} is the {@code k}-th frame FFmpeg decodes from the start. At open, one demux-only pass reads every
 * packet of the video stream: the count of packets (minus those flagged discard) is {@link #totalFrames()}, and the
 * sorted presentation timestamps map a decoded frame to its index, so the index stays exact after seeking, with
 * B-frames and with keyframes far apart. A stream that starts mid-GOP (its head cut off) has packets the decoder
 * outputs no frame for: its first GOP is decoded once at open to leave those out. A read seeks to the nearest keyframe
 * at or before each wanted frame only when that skips work, and decodes forward in one sweep. Streams whose
 * timestamps are missing or repeated (e.g. MPEG-4 with B-frames in AVI) are decoded from the start and counted
 * instead (exact, slower).
 *
 * <p>Not thread-safe: use one instance per thread. Several instances may be open concurrently.
 */
public final class VideoFrameSource implements FrameSource {
    static {
        av_log_set_level(AV_LOG_QUIET);
    }

    private static final int READ_ALL_CHUNK = 32;

    private final Path file;
    private final int threads;
    /** Sorted presentation timestamps of the video packets; the position of a timestamp is its frame index. */
    private final long[] sortedPts;
    /**
     * Frame indices of the keyframes, ascending, with two timestamps to seek to for each: its presentation timestamp
     * (what MP4 and Matroska seek by) and the earlier of its presentation and decoding timestamps (for demuxers that
     * seek by decoding time).
     */
    private final int[] keyframeIndex;
    private final long[] keyframePts;
    private final long[] keyframeEarliestTs;
    /** False when timestamps are missing or repeated: frames are then counted from the start. */
    private final boolean timestamped;

    private AVFormatContext format;
    private AVCodecContext decoder;
    private int streamIndex;
    private final AVPacket packet = av_packet_alloc();
    private final AVFrame frame = av_frame_alloc();
    private SwsContext sws;
    /**
     * swscale's destination, allocated as FFmpeg allocates frames: each row padded to an aligned linesize. The x86
     * SIMD YUV-to-RGB converters write whole blocks of 8 or 16 pixels; given a linesize of exactly {@code 3 * width}
     * they shorten each row to a whole number of blocks and leave the last {@code width % 8} columns unwritten.
     */
    private final AVFrame rgbFrame = av_frame_alloc();
    /** What {@link #sws} converts: its size, format and flags, then the colour matrix and range of its input. */
    private Conversion conversion;
    private int colourMatrix = -1;
    private int colourRange = -1;

    /** When positive, frames are resized so that their short side has this length. */
    private int shortSide;
    /** When positive, frames are resized to exactly this size (bicubic, as FFmpeg's scale filter). */
    private int targetWidth;
    private int targetHeight;

    /** Index of the next frame the decoder will output. */
    private int nextIndex;
    /** Frames below this index (leading frames of an open GOP after a seek) are not trusted. */
    private int trustedFrom;
    private boolean demuxerAtEnd;
    private boolean decoderDrained;
    private boolean closed;
    /** Frames the decoder has output for reads so far (a measure of seeking efficiency). */
    private long framesDecoded;
    /**
     * The frames the current read wants, ascending, or null outside reads. Packets of other frames go to the decoder
     * with {@code skip_frame} = {@code AVDISCARD_NONREF}: a frame no other frame refers to is then not reconstructed
     * at all, and the frames that are come out exactly as without skipping.
     */
    private int[] wantedFrames;
    /** The frames whose packets were sent with skipping on since the decoder was last positioned. */
    private final BitSet skippable = new BitSet();

    private VideoFrameSource(Path file, int threads) {
        this.file = file;
        this.threads = threads;
        try {
            openDemuxerAndDecoder();
            PacketIndex index = indexPackets();
            if (index.count == 0) {
                throw error("no decodable video frames");
            }
            this.timestamped = index.timestamped;
            this.sortedPts = index.sortedPts;
            this.keyframeIndex = index.keyframeIndex;
            this.keyframePts = index.keyframePts;
            this.keyframeEarliestTs = index.keyframeEarliestTs;
            reopen();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Opens a video with a single-threaded decoder (the loader parallelises across videos). */
    public static VideoFrameSource open(Path file) {
        return open(file, 1);
    }

    /** Opens a video; {@code threads} is the decoder's thread count (0 lets FFmpeg choose). */
    public static VideoFrameSource open(Path file, int threads) {
        if (!Files.isRegularFile(file)) {
            throw new SlowfastException(file + ": no such video file");
        }
        return new VideoFrameSource(file, threads);
    }

    public Path file() {
        return file;
    }

    @Override
    public int totalFrames() {
        return sortedPts.length;
    }

    /**
     * Resizes the frames read from now on so that their short side is {@code length} pixels (aspect ratio kept,
     * long side rounded, as mmcv's {@code imrescale}), with swscale's bilinear filter; 0 turns resizing off.
     */
    public VideoFrameSource resizeShortSide(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("short side must be >= 0, got " + length);
        }
        this.shortSide = length;
        return this;
    }

    /** Resizes the frames read from now on to {@code width × height} with swscale's bicubic filter. */
    public VideoFrameSource resize(int width, int height) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
        }
        this.targetWidth = width;
        this.targetHeight = height;
        return this;
    }

    /** The width of the video stream, as ffprobe's {@code stream=width} reports it. */
    public int width() {
        return format.streams(streamIndex).codecpar().width();
    }

    /** The height of the video stream. */
    public int height() {
        return format.streams(streamIndex).codecpar().height();
    }

    /** The stream's frame rate as FFmpeg guesses it ({@code av_guess_frame_rate}); 25 when it is unknown. */
    public double frameRate() {
        AVRational rate = av_guess_frame_rate(format, format.streams(streamIndex), null);
        return rate.num() > 0 && rate.den() > 0 ? av_q2d(rate) : 25;
    }

    /** How many frames the decoder has output for {@link #read} calls so far, wanted or not. */
    public long framesDecoded() {
        return framesDecoded;
    }

    /** The frame indices of the keyframes (where a seek can land), ascending. */
    public int[] keyframeIndices() {
        return keyframeIndex.clone();
    }

    @Override
    public List<Frame> read(int[] indices) {
        if (closed) {
            throw new IllegalStateException(file + ": video source is closed");
        }
        int total = totalFrames();
        for (int i : indices) {
            if (i < 0 || i >= total) {
                throw error("frame index " + i + " out of range (video has " + total + " frames)");
            }
        }
        int[] wanted = Arrays.stream(indices).distinct().sorted().toArray();
        Frame[] decoded = new Frame[wanted.length];
        int filled = 0;
        wantedFrames = wanted;
        try {
            while (filled < wanted.length) {
                positionFor(wanted[filled], Arrays.stream(wanted).anyMatch(skippable::get));
                filled = decodeForward(wanted, decoded, filled);
            }
        } finally {
            wantedFrames = null;
        }
        List<Frame> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(decoded[Arrays.binarySearch(wanted, i)]);
        }
        return out;
    }

    /** Receives the frames of {@link #readAll}. */
    @FunctionalInterface
    public interface FrameSink {
        void accept(int index, Frame frame);
    }

    /** Decodes every frame in order (a forward sweep, 32 frames per read), handing each with its 0-based index. */
    public void readAll(FrameSink sink) {
        int total = totalFrames();
        for (int start = 0; start < total; start += READ_ALL_CHUNK) {
            int[] indices = IntStream.range(start, Math.min(total, start + READ_ALL_CHUNK)).toArray();
            List<Frame> frames = read(indices);
            for (int i = 0; i < indices.length; i++) {
                sink.accept(indices[i], frames.get(i));
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeStreams();
        av_packet_free(packet);
        av_frame_free(frame);
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        av_frame_free(rgbFrame);
    }

    // ---- positioning ----

    /**
     * Makes the decoder's next output frames lead to {@code target} with as little decoding as possible;
     * {@code skippedWanted}: a wanted frame's packet was already sent with skipping on, so decoding on cannot give it.
     */
    private void positionFor(int target, boolean skippedWanted) {
        int key = keyframeAtOrBefore(target);
        boolean canDecodeForward = nextIndex >= 0 && nextIndex <= target && !decoderDrained && !skippedWanted
                && (!timestamped || keyframeIndex[key] <= nextIndex);
        if (canDecodeForward) {
            return;
        }
        if (!timestamped || keyframeIndex[key] == 0 || !seekTo(key)) {
            reopen();
        }
    }

    private int keyframeAtOrBefore(int target) {
        int pos = Arrays.binarySearch(keyframeIndex, target);
        return pos >= 0 ? pos : Math.max(0, -pos - 2);
    }

    /** Seeks to keyframe {@code key}, or failing that an earlier one; false when neither worked (rewind then). */
    private boolean seekTo(int key) {
        return seekTo(key, keyframePts[key])
                || keyframeEarliestTs[key] != keyframePts[key] && seekTo(key, keyframeEarliestTs[key]);
    }

    /** Seeks to timestamp {@code ts}; false when the demuxer landed after keyframe {@code key}. */
    private boolean seekTo(int key, long ts) {
        if (av_seek_frame(format, streamIndex, ts, AVSEEK_FLAG_BACKWARD) < 0) {
            return false;
        }
        avcodec_flush_buffers(decoder);
        skippable.clear();
        demuxerAtEnd = false;
        decoderDrained = false;
        // Check where the demuxer landed: the first video packet must be a keyframe at or before the wanted one.
        while (true) {
            int r = av_read_frame(format, packet);
            if (r < 0) {
                av_packet_unref(packet);
                return false;
            }
            if (packet.stream_index() != streamIndex) {
                av_packet_unref(packet);
                continue;
            }
            int landed = frameIndexOf(packet.pts());
            boolean ok = (packet.flags() & AV_PKT_FLAG_KEY) != 0 && landed >= 0 && landed <= keyframeIndex[key];
            if (ok) {
                sendPacket();
                nextIndex = landed;
                trustedFrom = landed;
            }
            av_packet_unref(packet);
            return ok;
        }
    }

    /** Reopens the file so that decoding starts from the first frame. */
    private void reopen() {
        closeStreams();
        openDemuxerAndDecoder();
        skippable.clear();
        nextIndex = 0;
        trustedFrom = 0;
        demuxerAtEnd = false;
        decoderDrained = false;
    }

    // ---- decoding ----

    /** Decodes forward, filling {@code decoded} from position {@code filled}; returns the new fill position. */
    private int decodeForward(int[] wanted, Frame[] decoded, int filled) {
        while (filled < wanted.length) {
            int r = avcodec_receive_frame(decoder, frame);
            if (r == AVERROR_EAGAIN()) {
                feedDecoder();
                continue;
            }
            if (r == AVERROR_EOF) {
                decoderDrained = true;
                throw error("frame " + wanted[filled] + " could not be decoded (the stream ends after "
                        + nextIndex + " decodable frames; truncated or corrupt?)");
            }
            if (r < 0) {
                throw error("decoding failed: " + describe(r));
            }
            framesDecoded++;
            int index = timestamped ? frameIndexOf(frameTimestamp()) : nextIndex;
            if (index < 0) {
                av_frame_unref(frame);
                throw error("decoded a frame with an unknown timestamp " + frameTimestamp());
            }
            if (index >= trustedFrom) {
                nextIndex = index + 1;
                if (wanted[filled] < index) {
                    // The decoder skipped a wanted frame (a corrupt packet).
                    av_frame_unref(frame);
                    throw error("frame " + wanted[filled] + " could not be decoded (corrupt stream)");
                }
                if (wanted[filled] == index) {
                    decoded[filled++] = toRgb();
                }
            }
            av_frame_unref(frame);
        }
        return filled;
    }

    /** Sends the next video packet to the decoder, or the end-of-stream flush after the last one. */
    private void feedDecoder() {
        if (demuxerAtEnd) {
            // The flush was already sent and the decoder still wants input: nothing more will come.
            decoderDrained = true;
            throw error("the stream ends after " + nextIndex + " decodable frames (truncated or corrupt?)");
        }
        while (true) {
            int r = av_read_frame(format, packet);
            if (r < 0) {
                av_packet_unref(packet);
                demuxerAtEnd = true;
                avcodec_send_packet(decoder, null);
                return;
            }
            boolean video = packet.stream_index() == streamIndex;
            if (video) {
                sendPacket();
            }
            av_packet_unref(packet);
            if (video) {
                return;
            }
        }
    }

    /**
     * Sends {@link #packet}, with skipping on when it is the packet of a frame the current read does not want; a
     * corrupt packet is skipped, as the ffmpeg tool does.
     */
    private void sendPacket() {
        int index = wantedFrames != null && timestamped ? frameIndexOf(packet.pts()) : -1;
        boolean skip = index >= 0 && Arrays.binarySearch(wantedFrames, index) < 0;
        if (skip) {
            skippable.set(index);
        }
        decoder.skip_frame(skip ? AVDISCARD_NONREF : AVDISCARD_DEFAULT);
        avcodec_send_packet(decoder, packet);
    }

    private long frameTimestamp() {
        long pts = frame.pts();
        return pts != AV_NOPTS_VALUE ? pts : frame.best_effort_timestamp();
    }

    private int frameIndexOf(long pts) {
        if (pts == AV_NOPTS_VALUE) {
            return -1;
        }
        int pos = Arrays.binarySearch(sortedPts, pts);
        return pos >= 0 ? pos : -1;
    }

    /** Converts {@link #frame} to packed RGB24 with swscale, straight into the frame's byte array. */
    private Frame toRgb() {
        int srcW = frame.width();
        int srcH = frame.height();
        int w = srcW;
        int h = srcH;
        if (targetWidth > 0) {
            w = targetWidth;
            h = targetHeight;
        } else if (shortSide > 0) {
            double scale = (double) shortSide / Math.min(srcW, srcH);
            w = (int) Math.round(srcW * scale);
            h = (int) Math.round(srcH * scale);
        }
        int flags = targetWidth > 0 ? SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT
                : w != srcW || h != srcH ? SWS_BILINEAR : SWS_BICUBIC;
        Conversion wanted = new Conversion(srcW, srcH, frame.format(), w, h, flags);
        if (!wanted.equals(conversion)) {
            sws = sws_getCachedContext(sws, srcW, srcH, frame.format(), w, h, AV_PIX_FMT_RGB24, flags,
                    null, null, (DoublePointer) null);
            if (sws == null) {
                throw error("cannot convert pixel format " + frame.format() + " to RGB");
            }
            conversion = wanted;
            colourMatrix = -1;
        }
        applyColourDetails();
        if (rgbFrame.width() != w || rgbFrame.height() != h) {
            av_frame_unref(rgbFrame);
            rgbFrame.width(w).height(h).format(AV_PIX_FMT_RGB24);
            if (av_frame_get_buffer(rgbFrame, 0) < 0) {
                throw error("out of memory for a " + w + "x" + h + " frame");
            }
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, srcH, rgbFrame.data(), rgbFrame.linesize());
        int rowBytes = w * 3;
        int linesize = rgbFrame.linesize(0);
        ByteBuffer rows = rgbFrame.data(0).capacity((long) linesize * h).asByteBuffer();
        byte[] rgb = new byte[rowBytes * h];
        for (int y = 0; y < h; y++) {
            rows.get(y * linesize, rgb, y * rowBytes, rowBytes);
        }
        return new Frame(w, h, rgb);
    }

    private record Conversion(int srcWidth, int srcHeight, int srcFormat, int width, int height, int flags) {}

    /**
     * Converts with the frame's own colour matrix (BT.709, BT.601, ...) and range (limited or full), as FFmpeg's
     * scale filter does; swscale alone would assume BT.601 for every frame.
     */
    private void applyColourDetails() {
        int matrix = frame.colorspace();
        int range = frame.color_range();
        if (matrix == colourMatrix && range == colourRange) {
            return;
        }
        try (PointerPointer<?> inverse = new PointerPointer<>(1); PointerPointer<?> forward = new PointerPointer<>(1);
             IntPointer details = new IntPointer(5)) {
            boolean yuv = sws_getColorspaceDetails(sws, inverse, details.getPointer(0), forward,
                    details.getPointer(1), details.getPointer(2), details.getPointer(3), details.getPointer(4)) >= 0;
            int srcFull = range == AVCOL_RANGE_UNSPECIFIED ? details.get(0) : range == AVCOL_RANGE_JPEG ? 1 : 0;
            IntPointer coefficients = sws_getCoefficients(matrix);
            if (yuv) { // else there is no matrix to choose (RGB input)
                sws_setColorspaceDetails(sws, coefficients, srcFull, coefficients, details.get(1), details.get(2),
                        details.get(3), details.get(4));
            }
        }
        colourMatrix = matrix;
        colourRange = range;
    }

    // ---- opening and indexing ----

    private void openDemuxerAndDecoder() {
        format = new AVFormatContext(null);
        int r = avformat_open_input(format, file.toString(), (AVInputFormat) null, (AVDictionary) null);
        if (r < 0) {
            format = null;
            throw error("cannot open as a video (" + describe(r) + ")");
        }
        r = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (r < 0) {
            throw error("cannot read stream information (" + describe(r) + ")");
        }
        streamIndex = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
        if (streamIndex < 0) {
            throw error("no video stream");
        }
        AVStream stream = format.streams(streamIndex);
        AVCodec codec = avcodec_find_decoder(stream.codecpar().codec_id());
        if (codec == null) {
            throw error("no decoder for codec " + avcodec_get_name(stream.codecpar().codec_id()).getString());
        }
        decoder = avcodec_alloc_context3(codec);
        if (avcodec_parameters_to_context(decoder, stream.codecpar()) < 0) {
            throw error("bad codec parameters");
        }
        decoder.thread_count(threads);
        r = avcodec_open2(decoder, codec, (PointerPointer<?>) null);
        if (r < 0) {
            throw error("cannot open the " + codec.name().getString() + " decoder (" + describe(r) + ")");
        }
        for (int i = 0; i < format.nb_streams(); i++) {
            if (i != streamIndex) {
                format.streams(i).discard(AVDISCARD_ALL);
            }
        }
    }

    private record PacketIndex(int count, boolean timestamped, long[] sortedPts, int[] keyframeIndex,
                               long[] keyframePts, long[] keyframeEarliestTs) {}

    /** One demux-only pass over the video packets. */
    private PacketIndex indexPackets() {
        long[] pts = new long[1024];
        long[] seekTs = new long[1024];
        boolean[] key = new boolean[1024];
        int n = 0;
        long read = 0;
        boolean timestamps = true;
        while (true) {
            int r = av_read_frame(format, packet);
            if (r == AVERROR_EOF) {
                break;
            }
            if (r < 0) {
                av_packet_unref(packet);
                throw error("corrupt stream after " + n + " frames (" + describe(r) + ")");
            }
            boolean video = packet.stream_index() == streamIndex;
            boolean discarded = (packet.flags() & AV_PKT_FLAG_DISCARD) != 0;
            if (video && (packet.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                av_packet_unref(packet);
                throw error("truncated or corrupt stream at frame " + n);
            }
            if (video) {
                read++;
            }
            if (video && !discarded) {
                if (n == pts.length) {
                    pts = Arrays.copyOf(pts, 2 * n);
                    seekTs = Arrays.copyOf(seekTs, 2 * n);
                    key = Arrays.copyOf(key, 2 * n);
                }
                long p = packet.pts();
                long d = packet.dts();
                if (p == AV_NOPTS_VALUE) {
                    timestamps = false;
                }
                pts[n] = p;
                seekTs[n] = d == AV_NOPTS_VALUE ? p : (p == AV_NOPTS_VALUE ? d : Math.min(p, d));
                key[n] = (packet.flags() & AV_PKT_FLAG_KEY) != 0;
                n++;
            }
            av_packet_unref(packet);
        }
        // MP4/MOV list every sample in the header: fewer packets means the file was cut at a packet boundary.
        // (AVI's count also includes empty index entries, which the demuxer skips, so it is not checked.)
        long listed = format.streams(streamIndex).nb_frames();
        boolean mov = format.iformat().name().getString().startsWith("mov,");
        if (mov && listed > 0 && read < listed) {
            throw error("truncated: the container lists " + listed + " video frames but only " + read
                    + " could be read");
        }
        long[] sorted = Arrays.copyOf(pts, n);
        Arrays.sort(sorted);
        for (int i = 1; i < n && timestamps; i++) {
            if (sorted[i] == sorted[i - 1]) {
                timestamps = false;
            }
        }
        int firstKey = 0;
        while (firstKey < n && !key[firstKey]) {
            firstKey++;
        }
        if (firstKey > 0) {
            // The stream starts mid-GOP (e.g. its head was cut off): the decoder drops frames until it can decode,
            // so some packets have no frame. Decode up to the first keyframe to see which ones do.
            if (timestamps) {
                sorted = keepDecodable(sorted, firstKey < n ? pts[firstKey] : Long.MAX_VALUE);
            } else {
                sorted = new long[decodeFromStart(Long.MAX_VALUE).length];
            }
        }
        int frames = sorted.length;
        if (!timestamps) {
            long[] counted = new long[frames];
            for (int i = 0; i < frames; i++) {
                counted[i] = i;
            }
            return new PacketIndex(frames, false, counted, new int[] {0}, new long[] {0}, new long[] {0});
        }
        // Keyframe packets ordered by frame index (decode order already is, for every sane stream). Frame 0 is
        // always reachable by decoding from the start, so it counts as a keyframe.
        long[] framePts = sorted;
        long[] packetPts = pts;
        boolean[] packetKey = key;
        // Each element packs (frame index << 32 | packet number), so sorting orders by frame index.
        long[] sortedKeyPackets = IntStream.range(0, n)
                .mapToLong(i -> packetKey[i] ? (long) Arrays.binarySearch(framePts, packetPts[i]) << 32 | i : -1)
                .filter(packed -> packed >>> 32 > 0 && packed > 0).sorted().toArray();
        int keys = sortedKeyPackets.length + 1;
        int[] keyIndex = new int[keys];
        long[] keyPts = new long[keys];
        long[] keyEarliest = new long[keys];
        for (int k = 1; k < keys; k++) {
            int i = (int) sortedKeyPackets[k - 1];
            keyIndex[k] = (int) (sortedKeyPackets[k - 1] >>> 32);
            keyPts[k] = pts[i];
            keyEarliest[k] = seekTs[i];
        }
        return new PacketIndex(frames, true, sorted, keyIndex, keyPts, keyEarliest);
    }

    /**
     * Drops from {@code sorted} the timestamps before {@code keyPts} that the decoder outputs no frame for, decoding
     * from the start until a frame at or after {@code keyPts} comes out (decoders output in presentation order).
     */
    private long[] keepDecodable(long[] sorted, long keyPts) {
        long[] output = decodeFromStart(keyPts);
        Arrays.sort(output);
        return Arrays.stream(sorted).filter(p -> p >= keyPts || Arrays.binarySearch(output, p) >= 0).toArray();
    }

    /** Decodes from the start until a frame with a timestamp at or after {@code stopPts}; returns the timestamps. */
    private long[] decodeFromStart(long stopPts) {
        reopen();
        long[] timestamps = new long[64];
        int count = 0;
        while (true) {
            int r = avcodec_receive_frame(decoder, frame);
            if (r == AVERROR_EAGAIN()) {
                if (demuxerAtEnd) {
                    break;
                }
                feedDecoder();
                continue;
            }
            if (r < 0) {
                break;
            }
            long ts = frameTimestamp();
            av_frame_unref(frame);
            if (count == timestamps.length) {
                timestamps = Arrays.copyOf(timestamps, 2 * count);
            }
            timestamps[count++] = ts;
            if (ts != AV_NOPTS_VALUE && ts >= stopPts) {
                break;
            }
        }
        return Arrays.copyOf(timestamps, count);
    }

    private void closeStreams() {
        if (decoder != null) {
            avcodec_free_context(decoder);
            decoder = null;
        }
        if (format != null) {
            avformat_close_input(format);
            format = null;
        }
    }

    private SlowfastException error(String what) {
        return new SlowfastException(file + ": " + what);
    }

    private static String describe(int errnum) {
        byte[] buf = new byte[256];
        av_strerror(errnum, buf, buf.length);
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8).trim();
    }
}
