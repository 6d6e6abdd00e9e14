# Compiles po/<lang>.po into ${CMAKE_BINARY_DIR}/po/<lang>.mo with
# `msgfmt --check` (FindGettext's macros lack --check). The server reads the
# .mo files itself (see docs/translating.md).
find_program(MSGFMT msgfmt REQUIRED)
file(GLOB po_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/*.po)
set(mo_files)
foreach(po ${po_files})
  get_filename_component(lang ${po} NAME_WE)
  set(mo ${CMAKE_BINARY_DIR}/po/${lang}.mo)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/po
    COMMAND ${MSGFMT} --check --output-file=${mo} ${po}
    DEPENDS ${po}
    COMMENT "msgfmt --check ${lang}.po")
  list(APPEND mo_files ${mo})
endforeach()
# Speech forms (docs/speech.md): po/speech/<lang>.po -> ${CMAKE_BINARY_DIR}/po/speech/<lang>.mo.
file(GLOB speech_po_files CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/po/speech/*.po)
set(speech_mo_files)
foreach(po ${speech_po_files})
  get_filename_component(lang ${po} NAME_WE)
  set(mo ${CMAKE_BINARY_DIR}/po/speech/${lang}.mo)
  add_custom_command(OUTPUT ${mo}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/po/speech
    COMMAND ${MSGFMT} --check --output-file=${mo} ${po}
    DEPENDS ${po}
    COMMENT "msgfmt --check speech/${lang}.po")
  list(APPEND speech_mo_files ${mo})
endforeach()
add_custom_target(catalogues ALL DEPENDS ${mo_files} ${speech_mo_files})
