/** The admin app: the login screen until a credential is accepted, then the pages inside the layout. */
import { useEffect, useState } from 'react';
import { onUnauthorized } from './api/api-client.js';
import { credentialStore } from './api/credential-store.js';
import { Layout } from './components/layout.js';
import { LoginScreen } from './components/login-screen.js';
import { ConfirmProvider } from './hooks/confirm-dialog.js';
import { GatewayDataProvider } from './hooks/gateway-data.js';
import { NoticeProvider } from './hooks/notices.js';
import { NowProvider } from './hooks/now-context.js';

export function App() {
  const [signedIn, setSignedIn] = useState(() => credentialStore.get() !== null);
  const [expired, setExpired] = useState(false);
  useEffect(() => {
    onUnauthorized(() => {
      credentialStore.clear();
      setExpired(true);
      setSignedIn(false);
    });
    return () => onUnauthorized(null);
  }, []);
  const signOut = () => {
    credentialStore.clear();
    setExpired(false);
    setSignedIn(false);
  };
  return (
    <NoticeProvider>
      <ConfirmProvider>
        {signedIn ? (
          <NowProvider>
            <GatewayDataProvider>
              <Layout onSignOut={signOut} />
            </GatewayDataProvider>
          </NowProvider>
        ) : (
          <LoginScreen
            expired={expired}
            onSignedIn={() => {
              setExpired(false);
              setSignedIn(true);
            }}
          />
        )}
      </ConfirmProvider>
    </NoticeProvider>
  );
}
