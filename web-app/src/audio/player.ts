import type { FileAccess } from '../import/file-access';

export type PlayerState = {
  fileId: number | null;
  isPlaying: boolean;
  isLoading: boolean;
  isLooping: boolean;
  startedAt: number;
  duration: number;
  error: string | null;
};

/** Reference loudness for loudness-matched playback (LUFS). */
const TARGET_LUFS = -16;
const CACHE_SIZE = 24;

/**
 * Audition with Web Audio: decodes with the browser's own decoder (not the analysis engine), keeps
 * a small cache of decoded buffers for instant re-plays, loops loops, and optionally matches
 * loudness using the stored LUFS.
 */
export class Player {
  state: PlayerState = {
    fileId: null,
    isPlaying: false,
    isLoading: false,
    isLooping: false,
    startedAt: 0,
    duration: 0,
    error: null,
  };
  private ctx: AudioContext | null = null;
  private source: AudioBufferSourceNode | null = null;
  private gain: GainNode | null = null;
  private cache = new Map<number, AudioBuffer>();
  private listeners = new Set<() => void>();
  private token = 0;

  constructor(private readonly access: FileAccess) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get context(): AudioContext | null {
    return this.ctx;
  }

  private set(patch: Partial<PlayerState>) {
    this.state = { ...this.state, ...patch };
    document.documentElement.dataset.playing = this.state.isPlaying ? '1' : '0';
    for (const l of this.listeners) l();
  }

  /** Time into the sound, for the playhead. */
  position(): number {
    if (!this.ctx || !this.state.isPlaying) return 0;
    const t = this.ctx.currentTime - this.state.startedAt;
    return this.state.isLooping && this.state.duration > 0
      ? t % this.state.duration
      : Math.min(t, this.state.duration);
  }

  async play(
    fileId: number,
    options: { loop: boolean; lufs: number | null; matchLoudness: boolean },
  ): Promise<void> {
    const token = ++this.token;
    this.stopSource();
    // Created (or resumed) inside the user's gesture, as autoplay rules require.
    this.ctx ??= new AudioContext({ latencyHint: 'interactive' });
    if (this.ctx.state === 'suspended') void this.ctx.resume();
    this.set({ fileId, isLoading: true, isPlaying: false, error: null });
    try {
      let buffer = this.cache.get(fileId);
      if (!buffer) {
        const blob = await this.access.blob(fileId, { ask: true });
        const bytes = await blob.arrayBuffer();
        buffer = await this.ctx.decodeAudioData(bytes);
        this.cache.set(fileId, buffer);
        if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value!);
      }
      if (token !== this.token) return;
      const source = this.ctx.createBufferSource();
      source.buffer = buffer;
      source.loop = options.loop;
      const gain = this.ctx.createGain();
      const db =
        options.matchLoudness && options.lufs !== null
          ? Math.max(-24, Math.min(12, TARGET_LUFS - options.lufs))
          : 0;
      gain.gain.value = 10 ** (db / 20);
      source.connect(gain).connect(this.ctx.destination);
      source.onended = () => {
        if (this.source === source) {
          this.source = null;
          this.set({ isPlaying: false });
        }
      };
      source.start();
      this.source = source;
      this.gain = gain;
      this.set({
        isPlaying: true,
        isLoading: false,
        isLooping: options.loop,
        startedAt: this.ctx.currentTime,
        duration: buffer.duration,
      });
    } catch (err) {
      if (token !== this.token) return;
      const message = err instanceof Error ? err.message : String(err);
      this.set({ isLoading: false, isPlaying: false, error: `cannot play this file: ${message}` });
    }
  }

  stop(): void {
    this.token++;
    this.stopSource();
    this.set({ isPlaying: false, isLoading: false });
  }

  private stopSource() {
    if (this.source) {
      this.source.onended = null;
      try {
        this.source.stop();
      } catch {
        // Already stopped.
      }
      this.source.disconnect();
      this.source = null;
    }
    this.gain?.disconnect();
    this.gain = null;
  }
}
