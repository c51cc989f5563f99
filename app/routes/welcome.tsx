// /welcome: the default post-signup page (POST_SIGNUP_URL), where a new user lands after
// /auth/complete. Syntropy's own app usually takes over from here (set POST_SIGNUP_URL).
import styles from "~/styles/landing.css";

export const meta = () => [{ title: "Welcome to Syntropy Health" }];

export const links = () => [{ rel: "stylesheet", href: styles }];

export default function Welcome() {
  return (
    <main className="landing">
      <h1>Welcome to Syntropy Health</h1>
      <p>Your account is ready. Thank you for joining through your local health store.</p>
    </main>
  );
}
