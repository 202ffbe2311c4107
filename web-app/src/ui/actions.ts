import type { Player } from '../audio/player';
import type { AppStore } from '../state/app-store';

/** Plays (or stops) a file; loops loop, and loudness matching follows the setting. */
export function togglePlay(store: AppStore, player: Player, fileId: number, forcePlay = false): void {
  if (!forcePlay && player.state.fileId === fileId && (player.state.isPlaying || player.state.isLoading)) {
    player.stop();
    return;
  }
  const r = store.index.rowOfFile(fileId);
  if (r < 0) return;
  const lufs = store.index.lufs[r];
  void player.play(fileId, {
    loop: store.index.loop[r] === 1,
    lufs: Number.isNaN(lufs) ? null : lufs,
    matchLoudness: store.settings.loudnessMatch,
  });
}
