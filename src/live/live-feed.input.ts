import { execFile } from 'node:child_process';

export const isRtsp = (url: string): boolean => /^rtsps?:/i.test(url);

const socketTimeoutOption = new Map<string, Promise<string>>();

/**
 * The RTSP demuxer's socket-timeout option changed name: ffmpeg before 5.0 calls it `stimeout`
 * and reads `timeout` as "listen for incoming connections" (which would turn a probe into a
 * server), later versions call it `timeout`. The binary's own help tells which one it speaks.
 */
function rtspTimeoutOption(binary: string): Promise<string> {
  let option = socketTimeoutOption.get(binary);
  if (!option) {
    option = new Promise((resolve) => {
      execFile(binary, ['-hide_banner', '-h', 'demuxer=rtsp'], (_error, stdout) => {
        resolve(/^\s+-stimeout\s/m.test(String(stdout)) ? '-stimeout' : '-timeout');
      });
    });
    socketTimeoutOption.set(binary, option);
  }
  return option;
}

/**
 * ffmpeg/ffprobe options in front of `-i url` for a live feed: RTSP over TCP (UDP rarely passes
 * NAT or firewalls), and socket timeouts so a silent server makes ffmpeg fail instead of hang.
 */
export async function liveInputArgs(
  binary: string,
  url: string,
  ioTimeoutMs: number,
): Promise<string[]> {
  const micros = String(Math.round(ioTimeoutMs * 1000));
  if (isRtsp(url)) {
    return ['-rtsp_transport', 'tcp', await rtspTimeoutOption(binary), micros, '-i', url];
  }
  return ['-rw_timeout', micros, '-i', url];
}
