import { render } from "preact";
import { LocationProvider, Route, Router, lazy } from "preact-iso";
import "./styles.css";

// Each page is its own chunk: a patient downloads only the patient page.
const PatientPage = lazy(() => import("./patient/PatientPage"));
const ProviderPage = lazy(() => import("./provider/ProviderPage"));
const JoinPage = lazy(() => import("./join/JoinPage"));

function Home() {
  return (
    <main class="page narrow">
      <h1>queue-chat</h1>
      <p>Open the waiting-room link your provider gave you, or your private provider link.</p>
    </main>
  );
}

function NotFound() {
  return (
    <main class="page narrow">
      <h1>Page not found</h1>
      <p>Check the link you were given.</p>
    </main>
  );
}

function App() {
  return (
    <LocationProvider>
      <Router>
        <Route path="/r/:room" component={PatientPage} />
        <Route path="/provider" component={ProviderPage} />
        <Route path="/join" component={JoinPage} />
        <Route path="/" component={Home} />
        <Route default component={NotFound} />
      </Router>
    </LocationProvider>
  );
}

render(<App />, document.getElementById("app")!);
