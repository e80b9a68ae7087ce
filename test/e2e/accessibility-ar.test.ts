// Database-independent: axe and the layout see the same pages whatever database the server uses (the screens'
// behaviour on each database is covered by the other browser tests).
// Every screen of the web app in Arabic, with the example investigation loaded so the screens have content, on a
// desktop (1280 px) and a phone (360 px). A new screen is one line in `screens` of accessibility-screens.ts.
import { describeAccessibilityOfEveryScreen } from './accessibility-screens.js';

describeAccessibilityOfEveryScreen('ar');
