import { AccountSection } from './account-section';
import { AiProviderSection } from './ai-provider-section';
import { SyncSection } from './sync-section';

export function SettingsBody() {
  return (
    <div className="settings" data-testid="settings">
      <AccountSection />
      <SyncSection />
      <AiProviderSection />
    </div>
  );
}
