import { launchChromium } from '@samplemind/engine/chromium';

/**
 * The system Chromium set up for the app (e2e specs and benchmarks): a fresh profile, service
 * workers on, audio allowed to play without a gesture, a desktop-sized window.
 */
export const launchApp = () =>
  launchChromium({
    args: ['--autoplay-policy=no-user-gesture-required'],
    context: { viewport: { width: 1400, height: 900 }, serviceWorkers: 'allow', acceptDownloads: true },
  });
