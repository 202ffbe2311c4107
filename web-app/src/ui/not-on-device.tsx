import { STATUS } from '../state/library-index';

/** Rows synced from another device whose audio file is not here (status 'remote'). */
export const isRemoteStatus = (status: number): boolean => status === STATUS.remote;

export const NOT_ON_DEVICE_HINT =
  'The audio file is on another of your devices. Its analysis, tags and edits are synced here; add the file on this device to play or drag it.';

/**
 * The "not on this device" badge: in words in the detail panel, as a small cloud in table rows
 * (a synced library can be all remote rows; words there would crowd out the names).
 */
export function NotOnDeviceBadge({ isCompact = false }: { isCompact?: boolean }) {
  return (
    <span
      className={`badge remote${isCompact ? ' compact' : ''}`}
      data-testid="not-on-device"
      title={NOT_ON_DEVICE_HINT}
    >
      {isCompact ? (
        <>
          <span aria-hidden="true">☁</span>
          <span className="sr-only">not on this device</span>
        </>
      ) : (
        'not on this device'
      )}
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
