import { Box, Text, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { formatScore, formatVideoTime } from '../../lib/format';
import classes from './video-player.module.css';

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TimelineMarker {
  id: string;
  startMs: number;
  endMs: number;
  score: number;
}

/** Where the player should jump; a new `nonce` repeats a jump to the same place. */
export interface SeekRequest {
  timeMs: number;
  nonce: number;
  /** Play from there (the person asked to watch); otherwise the player pauses on the frame. */
  play?: boolean;
}

/** A face to outline while the playhead is within [fromMs, toMs]. */
export interface Highlight {
  box: FaceBox;
  fromMs: number;
  toMs: number;
}

interface VideoPlayerProps {
  /** Null while there is nothing to play yet (a live relay before its first segment). */
  src: string | null;
  title: string;
  posterUrl?: string | null;
  /** Frame size in pixels; face boxes are in these pixels. */
  frameWidth?: number | null;
  frameHeight?: number | null;
  durationMs?: number | null;
  /** Given: a strip under the picture shows them (and the playhead); clicking one calls back. */
  markers?: TimelineMarker[];
  onMarkerClick?: (markerId: string) => void;
  seek?: SeekRequest | null;
  highlight?: Highlight | null;
  /** Smaller players skip native controls; clicking them is how they get featured. */
  compact?: boolean;
  live?: boolean;
  /** Shown over the frame while there is no source (default: waiting for the live stream). */
  idleMessage?: string;
}

const HIGHLIGHT_MARGIN_MS = 400;

function markerStyle(marker: TimelineMarker, durationMs: number) {
  return {
    left: `${Math.min(99, (marker.startMs / durationMs) * 100)}%`,
    width: `${Math.max(0.8, ((marker.endMs - marker.startMs) / durationMs) * 100)}%`,
  };
}

function isHls(src: string): boolean {
  return /\.m3u8($|\?)/i.test(src);
}

/** A video with match markers under it and the matched face outlined over the picture. */
export function VideoPlayer({
  src,
  title,
  posterUrl,
  frameWidth,
  frameHeight,
  durationMs,
  markers,
  onMarkerClick,
  seek,
  highlight,
  compact = false,
  live = false,
  idleMessage = 'Waiting for the live stream…',
}: VideoPlayerProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [currentMs, setCurrentMs] = useState(0);
  const [mediaDurationMs, setMediaDurationMs] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !src || !isHls(src)) return;
    let destroyed = false;
    let destroy: (() => void) | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // hls.js wherever it runs, for its retry while the relay has no playlist yet; browsers
    // without Media Source Extensions (iOS Safari) play HLS natively.
    void import('hls.js').then(({ default: Hls }) => {
      if (destroyed) return;
      if (!Hls.isSupported()) {
        if (video.canPlayType('application/vnd.apple.mpegurl')) video.src = src;
        else setFailed('This browser cannot play live streams.');
        return;
      }
      const hls = new Hls({ liveDurationInfinity: true });
      hls.on(Hls.Events.MANIFEST_PARSED, () => setFailed(null));
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // The relay has no playlist until the feed's first segment: keep trying.
        setFailed('Waiting for the live stream…');
        retry = setTimeout(() => setAttempt((n) => n + 1), 4000);
      });
      hls.loadSource(src);
      hls.attachMedia(video);
      destroy = () => hls.destroy();
    });
    return () => {
      destroyed = true;
      clearTimeout(retry);
      destroy?.();
    };
  }, [src, attempt]);

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !seek) return;
    const jump = () => {
      video.currentTime = seek.timeMs / 1000;
      if (seek.play) void video.play().catch(() => undefined);
      else video.pause();
    };
    setCurrentMs(seek.timeMs);
    // Before its metadata a video may drop the jump: make it once the metadata is in.
    if (video.readyState >= HTMLMediaElement.HAVE_METADATA) {
      jump();
      return;
    }
    video.addEventListener('loadedmetadata', jump, { once: true });
    return () => video.removeEventListener('loadedmetadata', jump);
  }, [seek]);

  const width = frameWidth && frameWidth > 0 ? frameWidth : 16;
  const height = frameHeight && frameHeight > 0 ? frameHeight : 9;
  const knownDuration = durationMs && durationMs > 0 ? durationMs : mediaDurationMs;
  const showBox =
    highlight &&
    frameWidth &&
    frameHeight &&
    currentMs >= highlight.fromMs - HIGHLIGHT_MARGIN_MS &&
    currentMs <= highlight.toMs + HIGHLIGHT_MARGIN_MS;

  return (
    <Box>
      <div className={classes.frame} style={{ aspectRatio: `${width} / ${height}` }}>
        <video
          ref={videoRef}
          className={classes.video}
          src={src && !isHls(src) ? src : undefined}
          poster={posterUrl ?? undefined}
          controls={!compact}
          muted={compact || live}
          autoPlay={live}
          playsInline
          preload="metadata"
          aria-label={title}
          onTimeUpdate={(event) => setCurrentMs(event.currentTarget.currentTime * 1000)}
          onSeeked={(event) => setCurrentMs(event.currentTarget.currentTime * 1000)}
          onLoadedMetadata={(event) => {
            const seconds = event.currentTarget.duration;
            if (Number.isFinite(seconds)) setMediaDurationMs(seconds * 1000);
          }}
          onError={() => setFailed('This video cannot be played in the browser.')}
        />
        {showBox && (
          <div
            className={classes.faceBox}
            data-testid="face-box"
            style={{
              left: `${(highlight.box.x / width) * 100}%`,
              top: `${(highlight.box.y / height) * 100}%`,
              width: `${(highlight.box.width / width) * 100}%`,
              height: `${(highlight.box.height / height) * 100}%`,
            }}
          />
        )}
        {(src ? failed : idleMessage) && (
          <Text className={classes.failure} size="sm">
            {src ? failed : idleMessage}
          </Text>
        )}
      </div>
      {markers && knownDuration && knownDuration > 0 && (
        <div
          className={classes.timeline}
          role="group"
          aria-label={`Matches on the timeline of ${title}`}
        >
          <div
            className={classes.playhead}
            style={{ left: `${Math.min(100, (currentMs / knownDuration) * 100)}%` }}
          />
          {markers.map((marker) => (
            <Tooltip
              key={marker.id}
              label={`${formatVideoTime(marker.startMs)}–${formatVideoTime(marker.endMs)} · ${formatScore(marker.score)}`}
            >
              {onMarkerClick ? (
                <UnstyledButton
                  className={classes.marker}
                  data-testid="timeline-marker"
                  aria-label={`Match at ${formatVideoTime(marker.startMs)}, score ${formatScore(marker.score)}`}
                  onClick={() => onMarkerClick(marker.id)}
                  style={markerStyle(marker, knownDuration)}
                />
              ) : (
                <div
                  className={classes.marker}
                  data-testid="timeline-marker"
                  style={markerStyle(marker, knownDuration)}
                />
              )}
            </Tooltip>
          ))}
        </div>
      )}
    </Box>
  );
}
