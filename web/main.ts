// The browser entry Vite builds (web/index.html loads it, and the theme, web/theme.css).
import './elements/zt-app.ts'
