import { render } from "preact";
import { ProviderPage } from "./ProviderPage";

render(<ProviderPage />, document.getElementById("app")!);
