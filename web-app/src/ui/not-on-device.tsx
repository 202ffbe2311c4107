import { STATUS } from '../state/library-index';

/** Rows synced from another device whose audio file is not here (status 'remote'). */
export const isRemoteStatus = (status: number): boolean => status === STATUS.remote;

export const NOT_ON_DEVICE_HINT =
  'The audio file is on another of your devices. Its analysis, tags and edits are synced here; add the file on this device to play or drag it.';

/** The "not on this device" badge of a row or the detail panel. */
export function NotOnDeviceBadge() {
  return (
    <span className="badge remote" data-testid="not-on-device" title={NOT_ON_DEVICE_HINT}>
      not on this device
    </span>
  );
}

/** Stands where the waveform would be: there is no audio here to draw. */
export function NoAudio({ height }: { height: number }) {
  return (
    <div
      className="no-audio"
      style={{ height }}
      data-testid="waveform-unavailable"
      title={NOT_ON_DEVICE_HINT}
    >
      No audio on this device
    </div>
  );
}
