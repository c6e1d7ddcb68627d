import { mount } from "../lib/mount";
import { createPatientModel } from "./model";
import { PatientPage } from "./PatientPage";

// The waiting room's link is /r/<room>; the Worker serves this page for it.
// A malformed escape is left as it is: the API answers that the room is unknown.
const segment = location.pathname.split("/")[2] ?? "";
const room = (() => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
})();
const model = createPatientModel(room);
mount(() => <PatientPage model={model} />, document.getElementById("app")!);
void model.init();
