import { AccountSection } from './account-section';
import { AiProviderSection } from './ai-provider-section';

export function SettingsBody() {
  return (
    <div className="settings" data-testid="settings">
      <AccountSection />
      <AiProviderSection />
    </div>
  );
}
